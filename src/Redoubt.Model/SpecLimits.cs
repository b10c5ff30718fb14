namespace Redoubt.Model;

/// <summary>
/// What each spec field accepts. The validator enforces these; the Kubernetes CRD schema can be generated from them,
/// so both platforms reject the same inputs.
/// </summary>
public static class SpecLimits
{
    public static readonly IntRange Replicas = new(1, 32);
    public static readonly IntRange SentinelReplicas = new(1, 7);

    /// <summary>Below 300 ms a busy 2-core host triggered false failovers (and lost acknowledged writes) in measurement.</summary>
    public static readonly IntRange DownAfterMilliseconds = new(300, 600_000);

    public static readonly IntRange FailoverTimeout = new(1_000, 3_600_000);
    public static readonly IntRange MinReplicasMaxLag = new(1, 3_600);
    public static readonly IntRange ZoneCount = new(1, 9);
    public static readonly IntRange BackupRetention = new(1, 1000);

    public const long MinMemoryBytes = 32L * 1024 * 1024;
    public const long MinMaxmemoryBytes = 1024 * 1024;

    /// <summary>Kubernetes object names can be 63 characters; 48 leaves room for the prefixes and suffixes of derived names.</summary>
    public const int MaxNameLength = 48;

    /// <summary>Kubernetes' limit on a resource's annotations, keys and values together (TotalAnnotationSizeLimitB).</summary>
    public const int MaxAnnotationBytes = 256 * 1024;

    /// <summary>A restart request is a mark, usually a time; it is written on one line of each node's revision file.</summary>
    public const int MaxRestartedAtLength = 253;

    public static readonly IReadOnlyList<string> Versions = ["v8", "v7"];
    public static readonly IReadOnlyList<string> PersistenceModes = ["rdb", "aof", "both", "none"];

    public static readonly IReadOnlyList<string> MaxmemoryPolicies =
    [
        "noeviction",
        "allkeys-lru",
        "allkeys-lfu",
        "allkeys-random",
        "volatile-lru",
        "volatile-lfu",
        "volatile-random",
        "volatile-ttl",
    ];
}

public sealed record IntRange(int Min, int Max)
{
    public bool Contains(long value) => value >= Min && value <= Max;

    public override string ToString() => $"an integer from {Min} to {Max}";
}
