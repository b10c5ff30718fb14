namespace Redoubt.Core.Observation;

/// <summary>Everything one observation pass saw, taken at one moment.</summary>
public sealed record ClusterObservation(
    DateTimeOffset Time,
    IReadOnlyList<RedisNodeObservation> Nodes,
    IReadOnlyList<SentinelObservation> Sentinels);
