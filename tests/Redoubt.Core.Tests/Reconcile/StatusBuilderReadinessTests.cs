using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Reconcile;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.ObservedNodes;
using static Redoubt.Core.Tests.Fixtures.ObservedSentinels;

namespace Redoubt.Core.Tests.Reconcile;

/// <summary>Ready means every replica linked and online on the master, and every Sentinel watching it with all its peers.</summary>
public sealed class StatusBuilderReadinessTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    private static readonly Dictionary<string, Func<ClusterObservation, ClusterObservation>> Breakages = new()
    {
        ["a replica's link to the master is down"] = o => o.With(Replica(1, of: 0) with { MasterLinkUp = false }),
        ["a replica is still syncing"] = o => o.With(Replica(1, of: 0) with { SyncInProgress = true }),
        ["a replica is parked"] = o => o.With(Parked(1)),
        ["a replica follows another node"] = o => o.With(Replica(2, of: 1)),
        ["a replica does not answer"] = o => o.With(Silent(2)),
        ["the master does not list a replica"] = o => o.With(Master(0).Serving(1)),
        ["the master lists a replica still waiting for its snapshot"] = o => o.With(Master(0) with
        {
            Replicas = [new ConnectedReplica(TestAddresses.OfRedis(1), "online", 1000, 0), new ConnectedReplica(TestAddresses.OfRedis(2), "wait_bgsave", 0, 0)],
        }),
        ["a planned node is not observed"] = o => o.Without("redis-2"),
        ["a Sentinel does not answer"] = o => o.With(Down(1)),
        ["a Sentinel is not monitoring"] = o => o.With(NotMonitoring(1)),
        ["a Sentinel watches another node"] = o => o.With(Watching(Plan, 2, master: 1)),
        ["a Sentinel thinks the master is down"] = o => o.With(Watching(Plan, 2, master: 0).WithFlags("master,s_down")),
        ["a Sentinel knows too few Sentinels"] = o => o.With(Watching(Plan, 0, master: 0).WithMonitored(m => m with { OtherSentinels = 1 })),
        ["a Sentinel knows too many Sentinels"] = o => o.With(Watching(Plan, 0, master: 0).WithMonitored(m => m with { OtherSentinels = 3 })),
        ["a Sentinel knows too few replicas"] = o => o.With(Watching(Plan, 0, master: 0).WithMonitored(m => m with { Replicas = 1 })),
        // Sentinel pings once a second, so a healthy reply can be a ping period old; past down-after beyond that it is stale.
        ["a Sentinel's last good ping is older than the ping period plus down-after"] = o => o.With(Watching(Plan, 1, master: 0).WithSetting("last-ok-ping-reply", "2001")),
        ["a Sentinel's last good ping is older than down-after"] = o => o.With(Watching(Plan, 1, master: 0).WithSetting("last-ok-ping-reply", "25000")),
        ["a Sentinel reports no last good ping"] = o => o.With(Watching(Plan, 1, master: 0).WithoutSetting("last-ok-ping-reply")),
        ["a Sentinel's last good ping is not a number"] = o => o.With(Watching(Plan, 1, master: 0).WithSetting("last-ok-ping-reply", "n/a")),
        ["a planned Sentinel is not observed"] = o => o.Without("sentinel-2"),
        // Redoubt's own connections say all is well; an application logging in afresh is refused.
        ["an application cannot log in to the master"] = o => o with { ApplicationRefused = ["redis-0: WRONGPASS invalid username-password pair or user is disabled."] },
        ["an application cannot log in to a Sentinel"] = o => o with { ApplicationRefused = ["sentinel-1: WRONGPASS invalid username-password pair or user is disabled."] },
    };

    public static TheoryData<string> BreakageNames => [.. Breakages.Keys];

    private static bool IsReady(ClusterObservation observation) =>
        StatusBuilder.IsReady(Plan, observation, observation.Nodes.Single(n => n.IsMaster));

    [Fact]
    public void AConvergedResourceIsReady()
    {
        Assert.True(IsReady(ObservedClusters.Healthy(Plan)));
    }

    [Fact]
    public void ASingleNodeResourceNeedsNoReplicas()
    {
        var plan = TestPlans.Of(replicas: 1);
        var observation = ObservedClusters.Healthy(plan);

        Assert.True(StatusBuilder.IsReady(plan, observation, observation.Nodes[0]));
    }

    [Theory]
    [MemberData(nameof(BreakageNames))]
    public void AResourceIsNotReadyWhen(string breakage)
    {
        Assert.False(IsReady(Breakages[breakage](ObservedClusters.Healthy(Plan))));
    }

    [Fact]
    public void AMasterApplicationsCannotLogInToIsNotAvailableAndTheConditionSaysWhy()
    {
        var observation = ObservedClusters.Healthy(Plan) with { ApplicationRefused = ["redis-0: WRONGPASS invalid username-password pair or user is disabled."] };
        var decision = new Core.Healing.HealDecision(observation.Nodes[0], [], null);

        var conditions = StatusBuilder.Conditions(Plan, observation, decision, ready: false, [], ObservedClusters.T0);

        var available = Assert.Single(conditions, c => c.Type == "MasterAvailable");
        Assert.Equal(("False", "LoginRefused"), (available.Status, available.Reason));
        Assert.Contains("WRONGPASS", available.Message, StringComparison.Ordinal);
        Assert.Contains("applications cannot log in", Assert.Single(conditions, c => c.Type == "Ready").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AResourceWithoutAMasterIsNotReady()
    {
        Assert.False(StatusBuilder.IsReady(Plan, ObservedClusters.Healthy(Plan), null));
    }

    [Fact]
    public void ASentinelStillListingAFormerReplicaDoesNotHoldReadinessBack()
    {
        var observation = ObservedClusters.Healthy(Plan)
            .With(Watching(Plan, 0, master: 0).WithMonitored(m => m with { Replicas = 3 }));

        Assert.True(IsReady(observation));
    }

    [Fact]
    public void ALastGoodPingWithinOnePingPeriodPastDownAfterIsRecentEnough()
    {
        // Healthy Sentinels were seen reporting 1003–1042 ms here: one ping period plus a round trip.
        var observation = ObservedClusters.Healthy(Plan).With(Watching(Plan, 1, master: 0).WithSetting("last-ok-ping-reply", "2000"));

        Assert.True(IsReady(observation));
    }

    [Fact]
    public void AReplicaIsInSyncOnlyWhenBothSidesSaySo()
    {
        var master = Master(0).Serving(1);

        Assert.True(StatusBuilder.InSync(Replica(1, of: 0), master));
        Assert.False(StatusBuilder.InSync(Replica(2, of: 0), master));
        Assert.False(StatusBuilder.InSync(Replica(1, of: 0), Master(0)));
        Assert.False(StatusBuilder.InSync(Silent(1), master));
    }
}
