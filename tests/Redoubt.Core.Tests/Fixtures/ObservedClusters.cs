using Redoubt.Core.Observation;
using Redoubt.Core.Planning;

namespace Redoubt.Core.Tests.Fixtures;

internal static class ObservedClusters
{
    public static readonly DateTimeOffset T0 = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static ClusterObservation Of(IEnumerable<RedisNodeObservation> nodes, IEnumerable<SentinelObservation> sentinels) =>
        new(T0, [.. nodes], [.. sentinels]);

    /// <summary>
    /// What a converged resource looks like: the master serving every other node as an online replica, every
    /// Sentinel watching it with the plan's settings, every node configured as planned.
    /// </summary>
    public static ClusterObservation Healthy(ResourcePlan plan, int master = 0)
    {
        var others = Enumerable.Range(0, plan.RedisNodes.Count).Where(i => i != master).ToArray();
        var nodes = Enumerable.Range(0, plan.RedisNodes.Count)
            .Select(i => i == master
                ? ObservedNodes.Master(i).Serving(others).ConfiguredAs(plan)
                : ObservedNodes.Replica(i, of: master).ConfiguredAs(plan));
        var sentinels = Enumerable.Range(0, plan.Sentinels.Count).Select(i => ObservedSentinels.Watching(plan, i, master));
        return Of(nodes, sentinels);
    }

    /// <summary>Replaces the node of the same name.</summary>
    public static ClusterObservation With(this ClusterObservation observation, params RedisNodeObservation[] nodes) =>
        observation with { Nodes = [.. observation.Nodes.Select(n => nodes.FirstOrDefault(r => r.Name == n.Name) ?? n)] };

    /// <summary>Replaces the Sentinel of the same name.</summary>
    public static ClusterObservation With(this ClusterObservation observation, params SentinelObservation[] sentinels) =>
        observation with { Sentinels = [.. observation.Sentinels.Select(s => sentinels.FirstOrDefault(r => r.Name == s.Name) ?? s)] };

    public static ClusterObservation Without(this ClusterObservation observation, string name) =>
        observation with
        {
            Nodes = [.. observation.Nodes.Where(n => n.Name != name)],
            Sentinels = [.. observation.Sentinels.Where(s => s.Name != name)],
        };
}
