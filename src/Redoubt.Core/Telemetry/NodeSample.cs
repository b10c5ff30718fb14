namespace Redoubt.Core.Telemetry;

/// <summary>One Redis node's numbers for one pass. Values a silent node cannot give are null (their series are dropped).</summary>
public sealed record NodeSample
{
    public required string Node { get; init; }
    public required string Zone { get; init; }
    public bool Up { get; init; }
    /// <summary>"master" or "replica"; null when the node did not answer.</summary>
    public string? Role { get; init; }
    /// <summary>The process incarnation (pid, start time), to count restarts; null parts where the platform has none.</summary>
    public int? Pid { get; init; }
    public DateTimeOffset? Since { get; init; }

    public long? OffsetBytes { get; init; }
    /// <summary>For a replica of the master: how far behind it is in bytes, and seconds since it last acknowledged.</summary>
    public long? LagBytes { get; init; }
    public long? LagSeconds { get; init; }
    /// <summary>For a replica: whether its link to its master is up; null for a master.</summary>
    public bool? MasterLinkUp { get; init; }
    public int? ConnectedReplicas { get; init; }

    public long? UsedMemoryBytes { get; init; }
    /// <summary>maxmemory; 0 means no limit.</summary>
    public long? MaxMemoryBytes { get; init; }
    public long? Keys { get; init; }
    public long? EvictedKeys { get; init; }
    public long? ExpiredKeys { get; init; }
    public long? OpsPerSecond { get; init; }

    /// <summary>When its last snapshot succeeded (Unix seconds), whether the last one did, whether AOF is on and writes.</summary>
    public long? LastSaveUnixSeconds { get; init; }
    public bool? LastSaveOk { get; init; }
    public bool? AofEnabled { get; init; }
    public bool? AofWriteOk { get; init; }
}
