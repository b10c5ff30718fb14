using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Tests.Fixtures;

namespace Redoubt.Core.Tests.Healing;

/// <summary>
/// Nodes the platform reports outdated are restarted one per pass, only while the resource is whole: Sentinels
/// first, then replicas (highest ordinal first), then the master after a switchover; a lone master in place.
/// </summary>
public sealed class HealerRollingRestartTests
{
    private const string Changed = "its configuration changed";

    private static RedisNodeObservation Outdated(RedisNodeObservation node) => node with { Outdated = Changed };

    private static SentinelObservation Outdated(SentinelObservation sentinel) => sentinel with { Outdated = Changed };

    private static ClusterObservation AllOutdated(ResourcePlan plan, int master = 0)
    {
        var healthy = ObservedClusters.Healthy(plan, master);
        return healthy with { Nodes = [.. healthy.Nodes.Select(Outdated)], Sentinels = [.. healthy.Sentinels.Select(Outdated)] };
    }

    [Fact]
    public void AnUpToDateHealthyResourceIsNotRestarted()
    {
        var plan = TestPlans.Of(replicas: 3);

        var decision = Healer.Decide(plan, ObservedClusters.Healthy(plan), HealContexts.At());

        Assert.Empty(decision.Actions);
        Assert.Null(decision.Waiting);
    }

    [Fact]
    public void SentinelsAreRestartedFirstOneAtATime()
    {
        var plan = TestPlans.Of(replicas: 3);

        var decision = Healer.Decide(plan, AllOutdated(plan), HealContexts.At());

        Assert.Equal(["restart sentinel-0 (Sentinel)"], Steps.Of(decision.Actions));
        Assert.Equal($"{Changed}; 6 node(s) to restart, one at a time", decision.Actions[0].Reason);
    }

    [Fact]
    public void ThenReplicasHighestOrdinalFirstNeverTheMaster()
    {
        var plan = TestPlans.Of(replicas: 3);
        var observation = ObservedClusters.Healthy(plan, master: 2);
        observation = observation.With(Outdated(observation.Nodes[0]), Outdated(observation.Nodes[1]), Outdated(observation.Nodes[2]));

        var decision = Healer.Decide(plan, observation, HealContexts.At());

        Assert.Equal(["restart redis-1 (Redis)"], Steps.Of(decision.Actions));
    }

    [Fact]
    public void AnOutdatedMasterIsSwitchedAwayOnceEveryReplicaIsUpToDate()
    {
        var plan = TestPlans.Of(replicas: 3);
        var observation = ObservedClusters.Healthy(plan, master: 1);
        observation = observation.With(Outdated(observation.Nodes[1]));

        var decision = Healer.Decide(plan, observation, HealContexts.At());

        Assert.Equal(["switch from redis-1"], Steps.Of(decision.Actions));
        Assert.Equal($"{Changed}; the master is restarted last, as a replica", decision.Actions[0].Reason);
    }

    [Fact]
    public void TheSwitchoverWaitsWhileAReplicaServesAnotherCertificateThanTheOneIssuedForIt()
    {
        var plan = TestPlans.Of(replicas: 3);
        var observation = ObservedClusters.Healthy(plan, master: 1);
        observation = observation.With(Outdated(observation.Nodes[1])) with { StaleCertificates = ["redis-2"] };

        var waiting = Healer.Decide(plan, observation, HealContexts.At());

        Assert.Empty(waiting.Actions);
        Assert.Equal("1 node(s) to restart; waiting until redis-2 serves the TLS certificate issued for its address", waiting.Waiting);

        // Once it does (or when only the outdated master's own certificate is behind), the switchover goes ahead.
        foreach (var stale in (string[][])[[], ["redis-1"]])
        {
            var decision = Healer.Decide(plan, observation with { StaleCertificates = stale }, HealContexts.At());
            Assert.Equal(["switch from redis-1"], Steps.Of(decision.Actions));
        }
    }

    [Fact]
    public void AReplicaBehindOnItsCertificateDoesNotHoldUpRestartingTheOthers()
    {
        var plan = TestPlans.Of(replicas: 3);
        var observation = ObservedClusters.Healthy(plan, master: 2);
        observation = observation.With(Outdated(observation.Nodes[0])) with { StaleCertificates = ["redis-1"] };

        var decision = Healer.Decide(plan, observation, HealContexts.At());

        Assert.Equal(["restart redis-0 (Redis)"], Steps.Of(decision.Actions));
    }

    [Fact]
    public void ALoneMasterIsRestartedInPlaceAndTheReasonSaysWritesStop()
    {
        var plan = TestPlans.Of(replicas: 1);
        var observation = ObservedClusters.Healthy(plan);
        observation = observation.With(Outdated(observation.Nodes[0]));

        var decision = Healer.Decide(plan, observation, HealContexts.At());

        Assert.Equal(["restart redis-0 (Redis)"], Steps.Of(decision.Actions));
        Assert.Contains("only Redis node", decision.Actions[0].Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<ResourcePlan, ClusterObservation, ClusterObservation>, string> Unsettled => new()
    {
        { "a replica still syncing", (_, o) => o.With(o.Nodes[2] with { SyncInProgress = true, MasterLinkUp = false }), "redis-2 is an in-sync replica of redis-0" },
        { "a replica just restarted and loading", (_, o) => o.With(o.Nodes[1] with { Loading = true }), "redis-1 is an in-sync replica of redis-0" },
        { "a Redis node that does not answer", (_, o) => o.With(ObservedNodes.Silent(2) with { Outdated = Changed }), "redis-2 is an in-sync replica of redis-0" },
        { "a Sentinel down", (_, o) => o.With(ObservedSentinels.Down(1) with { Outdated = Changed }), "sentinel-1 monitors redis-0 and knows every peer and replica" },
        { "a Sentinel that has not met its peers yet", (_, o) => o.With(o.Sentinels[2].Knowing(sentinels: 0, replicas: 2)), "sentinel-2 monitors redis-0 and knows every peer and replica" },
        { "a Redis node not created yet", (_, o) => o.Without("redis-2"), "every Redis node exists" },
    };

    [Theory]
    [MemberData(nameof(Unsettled))]
    public void NothingIsRestartedWhileTheResourceIsNotWhole(string situation, Func<ResourcePlan, ClusterObservation, ClusterObservation> change, string waitingFor)
    {
        var plan = TestPlans.Of(replicas: 3);

        var decision = Healer.Decide(plan, change(plan, AllOutdated(plan)), HealContexts.At());

        Assert.DoesNotContain(decision.Actions, a => a is RestartNode or SwitchMaster);
        Assert.True(decision.Waiting?.EndsWith($"waiting until {waitingFor}", StringComparison.Ordinal), $"{situation}: {decision.Waiting}");
    }

    [Fact]
    public void HealingComesFirstARestartWaitsForAPassWithNothingElseToDo()
    {
        var plan = TestPlans.Of(replicas: 3);
        var observation = AllOutdated(plan);
        observation = observation.With(observation.Nodes[1].WithConfig("maxmemory", "1"));

        var decision = Healer.Decide(plan, observation, HealContexts.At());

        Assert.Equal(["config set redis-1 127.0.0.1:7001 maxmemory=" + plan.RedisSettings.First(s => s.Key == "maxmemory").Value], Steps.Of(decision.Actions));
    }
}
