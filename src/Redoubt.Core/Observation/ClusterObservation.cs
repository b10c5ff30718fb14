namespace Redoubt.Core.Observation;

/// <summary>Everything one observation pass saw, taken at one moment.</summary>
public sealed record ClusterObservation(
    DateTimeOffset Time,
    IReadOnlyList<RedisNodeObservation> Nodes,
    IReadOnlyList<SentinelObservation> Sentinels)
{
    /// <summary>
    /// Where an application could not log in on a fresh connection (the master, a Sentinel), and what it was told;
    /// empty when every one let it in. Redoubt's own connections are no evidence: they were opened long ago.
    /// </summary>
    public IReadOnlyList<string> ApplicationRefused { get; init; } = [];

    /// <summary>
    /// The Redis nodes that still present another TLS certificate than the one the platform issued for them (on
    /// Kubernetes, a pod on a new IP until its Secret reaches it): a client that checks the address it was handed
    /// would refuse them. Empty without TLS.
    /// </summary>
    public IReadOnlyList<string> StaleCertificates { get; init; } = [];
}
