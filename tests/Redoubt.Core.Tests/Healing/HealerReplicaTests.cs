using Redoubt.Core.Healing;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.ObservedNodes;

namespace Redoubt.Core.Tests.Healing;

/// <summary>With one master, every other node that answers must replicate from it.</summary>
public sealed class HealerReplicaTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    [Fact]
    public void AHealthyClusterNeedsNothing()
    {
        var decision = Healer.Decide(Plan, ObservedClusters.Healthy(Plan), HealContexts.At());

        Assert.Equal("redis-0", decision.Master?.Name);
        Assert.Empty(decision.Actions);
        Assert.Null(decision.Waiting);
    }

    [Fact]
    public void TheMasterIsWhicheverNodeIsMasterNotTheFirstOne()
    {
        var decision = Healer.Decide(Plan, ObservedClusters.Healthy(Plan, master: 2), HealContexts.At(lastKnownMaster: 0));

        Assert.Equal("redis-2", decision.Master?.Name);
        Assert.Empty(decision.Actions);
    }

    [Fact]
    public void AParkedReplicaIsAttachedToTheMaster()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Parked(1, 0, 0));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        var attach = Assert.IsType<AttachReplica>(Assert.Single(decision.Actions));
        Assert.Equal("attach redis-1 127.0.0.1:7001 to 127.0.0.1:7000", Steps.Of(attach));
        Assert.Equal("started parked, joins the master", attach.Reason);
        Assert.False(attach.Disruptive);
    }

    [Fact]
    public void AParkedReplicaStillLoadingItsDataIsAttachedOnlyOnceLoaded()
    {
        var loading = ObservedClusters.Healthy(Plan).With(Parked(1, 0, 0).StillLoading());

        var decision = Healer.Decide(Plan, loading, HealContexts.At());

        // REPLICAOF is refused with -LOADING until then: trying would only fail.
        Assert.Empty(decision.Actions);
        Assert.Equal("redis-1 is loading its data; it joins redis-0 when done", decision.Waiting);

        var loaded = Healer.Decide(Plan, ObservedClusters.Healthy(Plan).With(Parked(1, 0, 0)), HealContexts.At());
        Assert.IsType<AttachReplica>(Assert.Single(loaded.Actions));
    }

    [Fact]
    public void AReplicaFollowingTheWrongNodeIsAttachedToTheMaster()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Replica(2, of: 1));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        var attach = Assert.IsType<AttachReplica>(Assert.Single(decision.Actions));
        Assert.Equal("attach redis-2 127.0.0.1:7002 to 127.0.0.1:7000", Steps.Of(attach));
        Assert.Equal("follows 127.0.0.1:7001, not the master", attach.Reason);
    }

    [Fact]
    public void EveryStrayReplicaIsAttachedInOnePass()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Parked(1), Replica(2, of: 9));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal(
            [
                "attach redis-1 127.0.0.1:7001 to 127.0.0.1:7000",
                "attach redis-2 127.0.0.1:7002 to 127.0.0.1:7000",
            ],
            Steps.Of(decision.ActionsForThisPass()));
    }

    [Theory]
    [InlineData(NodeLifecycle.Running)]
    [InlineData(NodeLifecycle.Exited)]
    [InlineData(NodeLifecycle.Starting)]
    public void NodesThatDoNotAnswerAreLeftAlone(NodeLifecycle lifecycle)
    {
        var observation = ObservedClusters.Healthy(Plan).With(Silent(1, lifecycle));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal("redis-0", decision.Master?.Name);
        Assert.Empty(decision.Actions);
    }
}
