using Redoubt.Core.Healing;

namespace Redoubt.Core.Tests.Healing;

/// <summary>The Sentinel that leads a forced failover is the one that will confirm the promotion soonest.</summary>
public sealed class LeaderChoiceTests
{
    private static KnownReplica Replica(string runId, long infoRefresh, int priority = 100, long offset = 5000, bool down = false) =>
        new($"127.0.0.1:{7000 + runId[0] % 10}", runId, priority, offset, infoRefresh, down);

    [Fact]
    public void TheReplicaIsTheOneSentinelWouldPromote()
    {
        var a = Replica("a", 0);
        var b = Replica("b", 0);

        Assert.Equal("a", LeaderChoice.LikelyPromoted([b, a])?.RunId);
        Assert.Equal("b", LeaderChoice.LikelyPromoted([a with { Offset = 4000 }, b])?.RunId);
        Assert.Equal("b", LeaderChoice.LikelyPromoted([a, b with { Priority = 1 }])?.RunId);
        Assert.Equal("b", LeaderChoice.LikelyPromoted([a with { Priority = 0 }, b])?.RunId);
        Assert.Equal("b", LeaderChoice.LikelyPromoted([a with { Down = true }, b])?.RunId);
        Assert.Null(LeaderChoice.LikelyPromoted([a with { Down = true }]));
    }

    [Theory]
    [InlineData(0, 850)]      // INFO just answered: the next one is a full period away, after the promotion
    [InlineData(700, 150)]    // due 300 ms from now, 150 ms after the promotion
    [InlineData(800, 1050)]   // due 200 ms from now: too close to the promotion, may see a replica still; the one after
    [InlineData(950, 900)]    // due before the promotion: the one after
    [InlineData(1400, 850)]   // overdue (a tick late): goes out now, before the promotion
    public void TheConfirmationComesWithTheFirstInfoAfterThePromotion(long infoRefresh, long delay)
    {
        Assert.Equal(delay, LeaderChoice.ConfirmationDelay([Replica("a", infoRefresh)]));
    }

    [Fact]
    public void TheSentinelWhoseInfoComesSoonestAfterThePromotionLeads()
    {
        IReadOnlyList<KnownReplica>?[] sentinels = [[Replica("a", 0)], [Replica("a", 700)], [Replica("a", 950)]];

        Assert.Equal(1, LeaderChoice.Choose(sentinels));
    }

    [Fact]
    public void ASentinelThatCannotLeadIsPassedOverAndTiesGoToTheLast()
    {
        Assert.Equal(0, LeaderChoice.Choose([[Replica("a", 700)], null, null]));
        Assert.Equal(2, LeaderChoice.Choose([[Replica("a", 0)], [Replica("a", 0)], [Replica("a", 0)]]));
        Assert.Equal(1, LeaderChoice.Choose([[], [Replica("a", 0)], null]));
        Assert.Null(LeaderChoice.Choose([null, null]));
    }

    [Fact]
    public void OnlyASentinelThatWouldPromoteAReplicaHoldingTheMostOfTheStreamLeads()
    {
        var a = Replica("a", 0, offset: 9000);
        var b = Replica("b", 0, offset: 5000);
        // Sentinel 0's last INFO saw a ahead, sentinel 1's saw b ahead (stale), and sentinel 1 would confirm sooner.
        IReadOnlyList<KnownReplica>?[] sentinels = [[a, b], [a with { Offset = 4000, InfoRefreshMs = 700 }, b with { InfoRefreshMs = 700 }]];

        Assert.Equal(1, LeaderChoice.Choose(sentinels));
        Assert.Equal(0, LeaderChoice.Choose(sentinels, new HashSet<string> { a.Address }));
        Assert.Equal(1, LeaderChoice.Choose(sentinels, new HashSet<string> { a.Address, b.Address }));
        Assert.Null(LeaderChoice.Choose([[a with { Offset = 1 }, b]], new HashSet<string> { a.Address }));
        Assert.Equal(0, LeaderChoice.Choose([[a with { Offset = 1 }, b]], new HashSet<string>()));
    }

    [Fact]
    public void TheFurthestReplicasAreThoseAtTheLargestOffsetThatAnswered()
    {
        Assert.Equal(["r1", "r3"], ReplicaOffsets.Furthest(new Dictionary<string, long?> { ["r1"] = 900, ["r2"] = 800, ["r3"] = 900, ["r4"] = null }).Order());
        Assert.Empty(ReplicaOffsets.Furthest(new Dictionary<string, long?> { ["r1"] = null }));
    }

    [Fact]
    public void OffsetsHaveSettledWhenNoReplicaThatAnsweredMovedBetweenTwoReads()
    {
        var before = new Dictionary<string, long?> { ["r1"] = 900, ["r2"] = 800 };

        Assert.True(ReplicaOffsets.Settled(before, new Dictionary<string, long?> { ["r1"] = 900, ["r2"] = 800 }));
        Assert.True(ReplicaOffsets.Settled(before, new Dictionary<string, long?> { ["r1"] = 900, ["r2"] = null }));
        Assert.False(ReplicaOffsets.Settled(before, new Dictionary<string, long?> { ["r1"] = 900, ["r2"] = 850 }));
        Assert.False(ReplicaOffsets.Settled(new Dictionary<string, long?> { ["r1"] = null }, new Dictionary<string, long?> { ["r1"] = 5 }));
    }
}
