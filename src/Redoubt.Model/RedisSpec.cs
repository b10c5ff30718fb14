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

    /// <summary>Where backups go: an S3-compatible bucket; unset, a directory under the control plane's home.</summary>
    public S3Destination? S3 { get; set; }
}

/// <summary>
/// An S3-compatible bucket for backups: each backup is <c>PREFIX NAMESPACE/NAME/ID.rdb</c> and its manifest
/// <c>ID.json</c>, the manifest written last.
/// </summary>
public sealed class S3Destination
{
    /// <summary>The server, e.g. http://127.0.0.1:9000 for MinIO or another S3-compatible server; unset, Amazon S3 in the region.</summary>
    public string? Endpoint { get; set; }

    public string? Bucket { get; set; }

    /// <summary>The signing region (and, for Amazon S3, where the bucket is); default us-east-1.</summary>
    public string? Region { get; set; }

    /// <summary>Put before every object's key, e.g. "prod/redis/"; default none.</summary>
    public string? Prefix { get; set; }

    /// <summary>
    /// An AWS shared credentials file (its [default] profile: aws_access_key_id, aws_secret_access_key); unset, the
    /// control plane's usual AWS credentials (environment, ~/.aws/credentials).
    /// </summary>
    public string? CredentialsFile { get; set; }

    /// <summary>
    /// Kubernetes: a Secret in the resource's namespace whose key <c>credentials</c> is an AWS shared credentials file
    /// (its [default] profile). The backup and restore Jobs mount it; the operator never reads it.
    /// </summary>
    public string? CredentialsSecret { get; set; }
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
