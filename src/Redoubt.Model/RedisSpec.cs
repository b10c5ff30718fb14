namespace Redoubt.Model;

/// <summary>
/// The spec exactly as written: every field is nullable so that "not set" survives a round trip and the
/// Kubernetes CRD can carry its own defaults. SpecDefaults.Resolve turns it into an <see cref="EffectiveSpec"/>.
/// </summary>
public sealed class RedisSpec
{
    public int? Replicas { get; set; }
    public string? Size { get; set; }
    public string? StorageClass { get; set; }
    public ResourceLimits? Resources { get; set; }
    public string? ResourcesPreset { get; set; }
    public bool? External { get; set; }
    public string? Version { get; set; }
    public bool? AuthEnabled { get; set; }

    public string? PersistenceMode { get; set; }
    public string? Maxmemory { get; set; }
    public string? MaxmemoryPolicy { get; set; }
    public int? MinReplicasToWrite { get; set; }
    public int? MinReplicasMaxLag { get; set; }
    public TlsSpec? Tls { get; set; }
    public SentinelSpec? Sentinel { get; set; }
    public List<string>? Zones { get; set; }

    /// <summary>Scheduled backups: an extension beside the reference platform's fields, off unless set.</summary>
    public BackupSpec? Backup { get; set; }
}

public sealed class BackupSpec
{
    /// <summary>When to take one, a cron expression of five fields (minute hour day month weekday) in UTC, or @hourly, @daily, @weekly.</summary>
    public string? Schedule { get; set; }

    /// <summary>How many good backups to keep (newest first); older ones are removed after each new backup.</summary>
    public int? Retention { get; set; }
}

public sealed class ResourceLimits
{
    public string? Cpu { get; set; }
    public string? Memory { get; set; }
}

public sealed class TlsSpec
{
    public bool? Enabled { get; set; }
}

public sealed class SentinelSpec
{
    public int? Replicas { get; set; }
    public int? Quorum { get; set; }
    public int? DownAfterMilliseconds { get; set; }
    public int? FailoverTimeout { get; set; }
    public ResourceLimits? Resources { get; set; }
}
