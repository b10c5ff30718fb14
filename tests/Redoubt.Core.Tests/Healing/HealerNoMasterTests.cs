using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.ObservedNodes;
using static Redoubt.Core.Tests.Fixtures.ObservedSentinels;
using static Redoubt.Core.Tests.Fixtures.TestAddresses;

namespace Redoubt.Core.Tests.Healing;

/// <summary>No node is master and Sentinel cannot elect one: the healer promotes the node with the most data, or waits.</summary>
public sealed class HealerNoMasterTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    private static readonly TimeSpan LongAgo = TimeSpan.FromMinutes(1);

    private static HealDecision Decide(IEnumerable<RedisNodeObservation> nodes, HealContext? context = null, IEnumerable<SentinelObservation>? sentinels = null) =>
        Healer.Decide(Plan, ObservedClusters.Of(nodes, sentinels ?? [NotMonitoring(0), NotMonitoring(1), NotMonitoring(2)]), context ?? HealContexts.At());

    [Fact]
    public void AFreshClusterWithEveryNodeParkedPromotesTheLowestOrdinal()
    {
        var decision = Decide([Parked(2), Parked(0), Parked(1)]);

        Assert.Null(decision.Master);
        Assert.Null(decision.Waiting);
        Assert.Equal(["promote redis-0 127.0.0.1:7000"], Steps.Of(decision.Actions));
        var promote = Assert.IsType<PromoteNode>(Assert.Single(decision.Actions));
        Assert.Equal("no master and no Sentinel decision; redis-0 has the most data (offset 0, 0 keys)", promote.Reason);
    }

    public static TheoryData<long[], long[], int?, int> ColdStarts => new()
    {
        // offsets of redis-0..2, keys of redis-0..2, last known master, the node to promote
        { [100, 300, 200], [5, 5, 5], null, 1 },
        { [100, 300, 200], [5, 5, 5], 2, 1 },
        { [900, 800, 0], [1, 1, 0], 1, 0 },
        { [300, 300, 100], [0, 7, 9], null, 1 },
        { [0, 0, 0], [0, 5, 0], null, 1 },
        { [0, 0, 0], [0, 5, 0], 0, 1 },
        { [500, 500, 100], [5, 5, 5], 1, 1 },
        { [500, 500, 100], [5, 5, 5], 0, 0 },
        { [0, 0, 0], [0, 0, 0], 2, 2 },
        { [100, 500, 100], [5, 0, 5], 0, 1 },
    };

    [Theory]
    [MemberData(nameof(ColdStarts))]
    public void AColdStartPromotesTheHighestOffsetThenANonEmptyDatasetThenTheLastKnownMaster(long[] offsets, long[] keys, int? lastKnownMaster, int expected)
    {
        var nodes = Enumerable.Range(0, 3).Select(i => Parked(i, offsets[i], keys[i]));

        var decision = Decide(nodes, HealContexts.At(lastKnownMaster: lastKnownMaster));

        Assert.Equal([$"promote redis-{expected} {OfRedis(expected)}"], Steps.Of(decision.Actions));
    }

    [Fact]
    public void WithoutALastKnownMasterTheNodeTheSentinelsNameIsPreferredOnATie()
    {
        // The Sentinels' master answers (it came back parked), so there is nothing to fail over from.
        var sentinels = new[] { Watching(Plan, 0, master: 2), Watching(Plan, 1, master: 2), NotMonitoring(2) };

        var decision = Decide([Parked(0, 400, 3), Parked(1, 400, 3), Parked(2, 400, 3)], sentinels: sentinels);

        Assert.Equal(["promote redis-2 127.0.0.1:7002"], Steps.Of(decision.Actions));
    }

    [Theory]
    [InlineData(0L, 12L)]
    [InlineData(4096L, 12L)]
    [InlineData(4096L, 0L)]
    public void ANodeRestartedEmptyIsNeverChosenOverOneWithData(long offset, long keys)
    {
        // redis-0 was the master, restarted and lost its data; it still sorts first by name and by history.
        var decision = Decide([Parked(0, 0, 0), Parked(1, offset, keys), Parked(2, 0, 0)], HealContexts.At(lastKnownMaster: 0));

        Assert.Equal(["promote redis-1 127.0.0.1:7001"], Steps.Of(decision.Actions));
    }

    [Fact]
    public void ANodeStillLoadingItsDataMakesTheHealerWait()
    {
        var decision = Decide([Parked(0, 100, 1), Parked(1, 0, 0).StillLoading(), Parked(2, 50, 1)], HealContexts.At(noMasterFor: LongAgo));

        Assert.Empty(decision.Actions);
        Assert.Null(decision.Master);
        Assert.Equal("waiting for nodes to finish loading their data before choosing a master", decision.Waiting);
    }

    public static TheoryData<int?, int, bool> Waits => new()
    {
        // seconds without a master (null: not recorded yet), election grace in seconds, whether to promote
        { null, 5, false },
        { 0, 5, false },
        { 4, 5, false },
        { 5, 5, true },
        { 60, 5, true },
        { 10, 30, false },
        { 30, 30, true },
    };

    [Theory]
    [MemberData(nameof(Waits))]
    public void SilentNodesDelayTheElectionUntilTheGraceHasPassedSinceTheMasterWasLost(int? noMasterSeconds, int graceSeconds, bool promotes)
    {
        var context = HealContexts.At(noMasterFor: noMasterSeconds is { } s ? TimeSpan.FromSeconds(s) : null) with { ElectionGrace = TimeSpan.FromSeconds(graceSeconds) };

        // The silent node may hold more data than either; that is why the healer waits for it at first.
        var decision = Decide([Silent(0), Parked(1, 100, 4), Parked(2, 200, 4)], context);

        Assert.Null(decision.Master);
        if (promotes)
        {
            Assert.Null(decision.Waiting);
            Assert.Equal(["promote redis-2 127.0.0.1:7002"], Steps.Of(decision.Actions));
        }
        else
        {
            Assert.Empty(decision.Actions);
            Assert.Equal("waiting for 1 more node(s) to report before choosing the one with the most data", decision.Waiting);
        }
    }

    [Fact]
    public void AfterTheGraceOnlyTheNodesThatAnswerAreCandidates()
    {
        var decision = Decide([Silent(0), Silent(1, NodeLifecycle.Exited), Parked(2, 0, 0)], HealContexts.At(noMasterFor: LongAgo, lastKnownMaster: 0));

        Assert.Equal(["promote redis-2 127.0.0.1:7002"], Steps.Of(decision.Actions));
    }

    [Fact]
    public void WhenEveryNodeAnswersTheElectionDoesNotWaitForTheGrace()
    {
        var decision = Decide([Parked(0, 10, 1), Parked(1, 30, 1), Parked(2, 20, 1)], HealContexts.At(noMasterFor: TimeSpan.Zero));

        Assert.Equal(["promote redis-1 127.0.0.1:7001"], Steps.Of(decision.Actions));
    }

    [Fact]
    public void WhenNoNodeAnswersThereIsNobodyToPromote()
    {
        var decision = Decide([Silent(0), Silent(1), Silent(2, NodeLifecycle.Starting)], HealContexts.At(noMasterFor: LongAgo));

        Assert.Empty(decision.Actions);
        Assert.Equal("no Redis node answers yet", decision.Waiting);
    }

    [Fact]
    public void ReplicasStillFollowingALostMasterAreCandidatesToo()
    {
        // No Sentinel names redis-0, so there is no failover to ask for: the replicas hold the data.
        var decision = Decide([Silent(0, NodeLifecycle.Exited), Replica(1, of: 0, offset: 700), Replica(2, of: 0, offset: 650)], HealContexts.At(noMasterFor: LongAgo));

        Assert.Equal(["promote redis-1 127.0.0.1:7001"], Steps.Of(decision.Actions));
    }

    [Fact]
    public void AmongTiedNodesTheLowestOrdinalIsPromotedEvenPastTen()
    {
        var plan = TestPlans.Of(replicas: 12);
        var nodes = Enumerable.Range(0, 12).Select(i => i < 2 ? Silent(i, NodeLifecycle.Exited) : Parked(i));
        var observation = ObservedClusters.Of(nodes, [NotMonitoring(0), NotMonitoring(1), NotMonitoring(2)]);

        var decision = Healer.Decide(plan, observation, HealContexts.At(noMasterFor: TimeSpan.FromMinutes(1)));

        Assert.Equal(["promote redis-2 127.0.0.1:7002"], Steps.Of(decision.Actions));
    }
}
