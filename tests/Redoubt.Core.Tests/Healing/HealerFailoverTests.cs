using Redoubt.Core.Healing;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.ObservedNodes;
using static Redoubt.Core.Tests.Fixtures.ObservedSentinels;

namespace Redoubt.Core.Tests.Healing;

/// <summary>The master the Sentinels name is gone: the fast path when the platform knows it, Sentinel's own judgement otherwise.</summary>
public sealed class HealerFailoverTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    private static readonly TimeSpan LongAgo = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(NodeLifecycle.Exited, "exited")]
    [InlineData(NodeLifecycle.Missing, "missing")]
    [InlineData(NodeLifecycle.Starting, "starting")]
    public void TheSentinelsMasterKnownToBeGoneWithReplicasFollowingItRequestsAFailover(NodeLifecycle lifecycle, string said)
    {
        var observation = ObservedClusters.Healthy(Plan).With(Silent(0, lifecycle));

        var decision = Healer.Decide(Plan, observation, HealContexts.At(noMasterFor: LongAgo, lastKnownMaster: 0));

        Assert.Null(decision.Master);
        Assert.Null(decision.Waiting);
        var failover = Assert.IsType<RequestFailover>(Assert.Single(decision.Actions));
        Assert.Equal("failover from redis-0 127.0.0.1:7000", Steps.Of(failover));
        Assert.Equal($"master redis-0 is {said} and 2 replica(s) can take over", failover.Reason);
        Assert.True(failover.Disruptive);
    }

    [Fact]
    public void OneFollowingReplicaIsEnoughForTheFastPath()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Silent(0, NodeLifecycle.Exited), Parked(2, 900, 9));

        var decision = Healer.Decide(Plan, observation, HealContexts.At(noMasterFor: LongAgo));

        Assert.Equal(["failover from redis-0 127.0.0.1:7000"], Steps.Of(decision.Actions));
        Assert.Equal("master redis-0 is exited and 1 replica(s) can take over", decision.Actions[0].Reason);
    }

    [Theory]
    [InlineData(NodeLifecycle.Running)]
    [InlineData(NodeLifecycle.Terminating)]
    public void AMasterThatDoesNotAnswerButWasNotSeenToExitIsLeftToSentinel(NodeLifecycle lifecycle)
    {
        // A hang or a partition looks like this: only Sentinel's down-after can tell it from a slow moment.
        var observation = ObservedClusters.Healthy(Plan).With(Silent(0, lifecycle));

        var decision = Healer.Decide(Plan, observation, HealContexts.At(noMasterFor: LongAgo, lastKnownMaster: 0));

        Assert.Null(decision.Master);
        Assert.Empty(decision.Actions);
        Assert.Equal("master redis-0 does not answer; Sentinel decides whether it is down", decision.Waiting);
    }

    [Fact]
    public void AnExitedMasterNobodyFollowsFallsBackToChoosingTheNodeWithTheMostData()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Silent(0, NodeLifecycle.Exited), Parked(1, 300, 3), Parked(2, 500, 3));

        var decision = Healer.Decide(Plan, observation, HealContexts.At(noMasterFor: LongAgo, lastKnownMaster: 0));

        Assert.Equal(["promote redis-2 127.0.0.1:7002"], Steps.Of(decision.Actions));
    }

    [Fact]
    public void WithoutASentinelMajorityAnExitedMasterIsNotFailedOverByRequest()
    {
        var observation = ObservedClusters.Healthy(Plan)
            .With(Silent(0, NodeLifecycle.Exited))
            .With(NotMonitoring(1), Down(2));

        var decision = Healer.Decide(Plan, observation, HealContexts.At(noMasterFor: TimeSpan.FromSeconds(1), lastKnownMaster: 0));

        Assert.Empty(decision.Actions);
        Assert.Equal("waiting for 1 more node(s) to report before choosing the one with the most data", decision.Waiting);
    }

    public static TheoryData<string> FlagsDuringAFailover => new()
    {
        "master,failover_in_progress",
        "master,o_down,failover_in_progress",
        "master,s_down,o_down,failover_in_progress,promoted",
    };

    [Theory]
    [MemberData(nameof(FlagsDuringAFailover))]
    public void ASentinelFailoverInProgressStopsEveryAction(string flags)
    {
        // Plenty to correct (a second master, a parked replica, drifted settings), none of it while Sentinel acts.
        var observation = ObservedClusters.Healthy(Plan)
            .With(Master(1, 5000), Parked(2).WithConfig("maxmemory", "1"))
            .With(Watching(Plan, 1, master: 0).WithFlags(flags).WithSetting("quorum", "1"));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Null(decision.Master);
        Assert.Empty(decision.Actions);
        Assert.Equal("a Sentinel failover is in progress", decision.Waiting);
    }

    [Fact]
    public void AFailoverRedoubtAskedForThatIsStillRunningStopsEveryAction()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Silent(0, NodeLifecycle.Exited));

        var decision = Healer.Decide(Plan, observation, HealContexts.At(noMasterFor: LongAgo) with { FailoverInFlight = true });

        Assert.Null(decision.Master);
        Assert.Empty(decision.Actions);
        Assert.Equal("a Sentinel failover is in progress", decision.Waiting);
    }

    [Fact]
    public void AnUnreachableSentinelsOldFlagsDoNotCount()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Parked(2)).With(Down(2));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal(["attach redis-2 127.0.0.1:7002 to 127.0.0.1:7000"], Steps.Of(decision.Actions));
    }

    [Fact]
    public void ASentinelsMasterRestartedParkedWithReplicasStillFollowingItIsFailedOverThroughSentinel()
    {
        var plan = TestPlans.Of(replicas: 3);
        var observation = ObservedClusters.Healthy(plan).With(
            Parked(0, offset: 0, keys: 0),
            Replica(1, of: 0, offset: 5000) with { MasterLinkUp = false },
            Replica(2, of: 0, offset: 5000) with { MasterLinkUp = false });

        var decision = Healer.Decide(plan, observation, HealContexts.At(noMasterFor: TimeSpan.FromSeconds(1), lastKnownMaster: 0));

        Assert.DoesNotContain(decision.Actions, a => a is PromoteNode);
        Assert.IsType<RequestFailover>(Assert.Single(decision.Actions));
    }
}
