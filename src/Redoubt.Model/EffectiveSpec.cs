namespace Redoubt.Model;

public enum PersistenceMode { None, Rdb, Aof, Both }

/// <summary>The spec with every default applied and every quantity parsed: what the planner works from.</summary>
public sealed record EffectiveSpec
{
    public required int Replicas { get; init; }
    /// <summary>Storage per node in bytes; null means no persistence (pure cache).</summary>
    public required long? SizeBytes { get; init; }
    public required string Size { get; init; }
    public required string StorageClass { get; init; }
    public required ComputeResources Resources { get; init; }
    public required string ResourcesPreset { get; init; }
    public required bool External { get; init; }
    /// <summary>"v8" or "v7"; null locally means "whatever redis-server is installed".</summary>
    public required string? Version { get; init; }
    public required bool AuthEnabled { get; init; }
    public required PersistenceMode Persistence { get; init; }
    public required long MaxmemoryBytes { get; init; }
    public required string MaxmemoryPolicy { get; init; }
    public required int MinReplicasToWrite { get; init; }
    public required int MinReplicasMaxLag { get; init; }
    public required bool TlsEnabled { get; init; }
    public required EffectiveSentinel Sentinel { get; init; }
    public required IReadOnlyList<string> Zones { get; init; }
}

public sealed record EffectiveSentinel
{
    public required int Replicas { get; init; }
    public required int Quorum { get; init; }
    public required int DownAfterMilliseconds { get; init; }
    public required int FailoverTimeout { get; init; }
    public required ComputeResources Resources { get; init; }
}

/// <summary>CPU in millicores and memory in bytes, with the quantities as the user (or the preset) wrote them.</summary>
public sealed record ComputeResources(long CpuMillis, long MemoryBytes, string Cpu, string Memory);
