using System.Globalization;
using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Tests.Fixtures;

namespace Redoubt.Core.Tests.Healing;

/// <summary>
/// The healer knows nodes by name: the plan names its Redis nodes as the platform reports them (locally redis-N, on
/// Kubernetes the StatefulSet's pods), so a healthy master is never taken for one a scale-down removes.
/// </summary>
public sealed class HealerNodeNamesTests
{
    private static string PodName(int ordinal) => $"rfr-redis-t-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A healthy resource as a platform that names nodes after pods reports it.</summary>
    private static ClusterObservation HealthyWithPodNames(ResourcePlan plan)
    {
        var healthy = ObservedClusters.Healthy(plan);
        return healthy with { Nodes = [.. healthy.Nodes.Select(n => n with { Name = PodName(int.Parse(n.Name["redis-".Length..], CultureInfo.InvariantCulture)) })] };
    }

    [Fact]
    public void APlanNamedLikeThePlatformsNodesSeesAHealthyResource()
    {
        var plan = TestPlans.Of(replicas: 3, redisNodeName: PodName);

        var decision = Healer.Decide(plan, HealthyWithPodNames(plan), HealContexts.At());

        Assert.Equal([PodName(0), PodName(1), PodName(2)], plan.RedisNodes.Select(n => n.Name));
        Assert.Empty(decision.Actions);
        Assert.Null(decision.Waiting);
    }

    [Fact]
    public void APlanNamedOtherwiseWouldMoveAHealthyMasterAway()
    {
        // What the operator did on real pods before its plans were named after them: every pass switched the master away.
        var plan = TestPlans.Of(replicas: 3);

        var decision = Healer.Decide(plan, HealthyWithPodNames(plan), HealContexts.At());

        Assert.Contains(decision.Actions, a => a is SwitchMaster { FromNode: "rfr-redis-t-0" });
    }
}
