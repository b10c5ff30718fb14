namespace Redoubt.Core.Telemetry;

/// <summary>
/// A resource as one pass saw it, in the numbers its metrics show. Made by <see cref="Samples.Of"/> from the pass's
/// observation and status; nothing here is read a second time from Redis.
/// </summary>
public sealed record ResourceSample
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required string Phase { get; init; }
    /// <summary>Each condition by type: true when its status is True.</summary>
    public IReadOnlyDictionary<string, bool> Conditions { get; init; } = new Dictionary<string, bool>();
    public bool HasMaster { get; init; }
    /// <summary>Reachable Sentinels that monitor the master the status names.</summary>
    public int SentinelsMonitoring { get; init; }
    public int SentinelQuorum { get; init; }
    /// <summary>
    /// Bytes the master has acknowledged that no linked replica has applied yet: what a failover now could lose. Null
    /// when there is no master or no linked replica to compare with.
    /// </summary>
    public long? UnreplicatedBytes { get; init; }
    /// <summary>Null when the pass observed nothing (the platform failed): the nodes' last values stay.</summary>
    public IReadOnlyList<NodeSample>? Nodes { get; init; }
    public IReadOnlyList<SentinelSample>? Sentinels { get; init; }
}
