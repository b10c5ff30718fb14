using Redoubt.Core.Healing;
using Redoubt.Core.Tests.Fixtures;

namespace Redoubt.Core.Tests.Healing;

/// <summary>A scale-down removes the highest ordinals; when the master is one of them it is switched away first.</summary>
public sealed class HealerScaleDownTests
{
    [Fact]
    public void AMasterTheScaleDownRemovesIsSwitchedAwayBeforeAnythingElseDisruptive()
    {
        var before = TestPlans.Of(replicas: 3);
        var after = TestPlans.Of(replicas: 2);

        // The Sentinels still know the replicas of three nodes: more than two nodes have, so a reset is due too.
        var decision = Healer.Decide(after, ObservedClusters.Healthy(before, master: 2), HealContexts.At());

        Assert.Equal("redis-2", decision.Master?.Name);
        Assert.Equal(["switch from redis-2", "reset sentinel-0 127.0.0.1:26000"], Steps.Of(decision.Actions));
        Assert.Equal("redis-2 is being removed by a scale-down", decision.Actions[0].Reason);
        Assert.Equal(["switch from redis-2"], Steps.Of(decision.ActionsForThisPass()));
    }

    [Fact]
    public void AMasterThePlanKeepsIsNotSwitched()
    {
        var before = TestPlans.Of(replicas: 3);
        var after = TestPlans.Of(replicas: 2);

        var decision = Healer.Decide(after, ObservedClusters.Healthy(before, master: 1), HealContexts.At());

        Assert.Equal(["reset sentinel-0 127.0.0.1:26000"], Steps.Of(decision.Actions));
    }
}
