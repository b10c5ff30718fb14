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
