using Redoubt.Core.Healing;
using Redoubt.Core.Planning;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.ObservedNodes;
using static Redoubt.Core.Tests.Fixtures.ObservedSentinels;

namespace Redoubt.Core.Tests.Healing;

/// <summary>Two nodes claim to be master: the Sentinels' majority wins, otherwise the replicas' choice, otherwise the data.</summary>
public sealed class HealerSplitBrainTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    [Fact]
    public void TwoMastersAreResolvedInFavourOfTheSentinelMajority()
    {
        // redis-1 has more data and a follower, but the Sentinels' history is redis-0's.
        var observation = ObservedClusters.Of(
            [Master(0, offset: 100), Master(1, offset: 9000), Replica(2, of: 1)],
            [Watching(Plan, 0, master: 0), Watching(Plan, 1, master: 0), Watching(Plan, 2, master: 1)]);

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal("redis-0", decision.Master?.Name);
        Assert.Null(decision.Waiting);
        Assert.Equal(
            [
                "demote redis-1 127.0.0.1:7001 to 127.0.0.1:7000",
                "attach redis-2 127.0.0.1:7002 to 127.0.0.1:7000",
            ],
            Steps.Of(decision.Actions));
        Assert.Equal("two masters: redis-0 is the one the Sentinels name", decision.Actions[0].Reason);
        Assert.True(decision.Actions[0].Disruptive);
    }

    [Fact]
    public void WithoutASentinelMajorityTheMasterMoreReplicasFollowWins()
    {
        var observation = ObservedClusters.Of(
            [Master(0, offset: 9000), Master(1, offset: 100), Replica(2, of: 1)],
            [Down(0), Down(1), Down(2)]);

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal("redis-1", decision.Master?.Name);
        Assert.Equal(["demote redis-0 127.0.0.1:7000 to 127.0.0.1:7001"], Steps.Of(decision.Actions));
        Assert.Equal("two masters: redis-1 is the one with the most replicas and data", decision.Actions[0].Reason);
    }

    [Fact]
    public void WithoutASentinelMajorityAndEqualFollowersTheHigherOffsetWins()
    {
        var observation = ObservedClusters.Of(
            [Master(0, offset: 100, keys: 50), Master(1, offset: 200, keys: 1), Parked(2)],
            [Watching(Plan, 0, master: 0), Watching(Plan, 1, master: 1), Down(2)]);

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal("redis-1", decision.Master?.Name);
        Assert.Equal(
            [
                "demote redis-0 127.0.0.1:7000 to 127.0.0.1:7001",
                "monitor 127.0.0.1:7001 by sentinel-0 127.0.0.1:26000 replacing",
                "attach redis-2 127.0.0.1:7002 to 127.0.0.1:7001",
            ],
            Steps.Of(decision.Actions));
        Assert.Equal(
            [
                "demote redis-0 127.0.0.1:7000 to 127.0.0.1:7001",
                "attach redis-2 127.0.0.1:7002 to 127.0.0.1:7001",
            ],
            Steps.Of(decision.ActionsForThisPass()));
    }

    [Fact]
    public void EveryMasterButTheWinnerIsDemotedToIt()
    {
        var observation = ObservedClusters.Of(
            [Master(0, offset: 10), Master(1, offset: 30), Master(2, offset: 20)],
            [Watching(Plan, 0, master: 2), Watching(Plan, 1, master: 2), Watching(Plan, 2, master: 2)]);

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal("redis-2", decision.Master?.Name);
        Assert.Equal(
            [
                "demote redis-0 127.0.0.1:7000 to 127.0.0.1:7002",
                "demote redis-1 127.0.0.1:7001 to 127.0.0.1:7002",
            ],
            Steps.Of(decision.Actions));
        Assert.Equal(["demote redis-0 127.0.0.1:7000 to 127.0.0.1:7002"], Steps.Of(decision.ActionsForThisPass()));
    }
}
