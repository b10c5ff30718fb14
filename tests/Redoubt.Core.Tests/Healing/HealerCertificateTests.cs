using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Reconcile;
using Redoubt.Core.Redis;
using Redoubt.Core.Tests.Fixtures;

namespace Redoubt.Core.Tests.Healing;

/// <summary>
/// A replica serving a TLS certificate not issued for its address (a pod back on a new IP before its Secret reached it)
/// is held back from Sentinel's choice (replica-priority 0) while another replica can be promoted, and let go after.
/// </summary>
public sealed class HealerCertificateTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    /// <summary>A converged resource whose replicas report their priority, as the observer reads it.</summary>
    private static ClusterObservation Observed(string priority1 = ReplicaPriority.Normal, string priority2 = ReplicaPriority.Normal, params string[] stale)
    {
        var healthy = ObservedClusters.Healthy(Plan);
        return healthy.With(
            healthy.Nodes[1].WithConfig(ReplicaPriority.Key, priority1),
            healthy.Nodes[2].WithConfig(ReplicaPriority.Key, priority2)) with { StaleCertificates = stale };
    }

    [Fact]
    public void AReplicaWithAStaleCertificateIsHeldBackWhileAnotherCanBePromoted()
    {
        var decision = Healer.Decide(Plan, Observed(stale: "redis-2"), HealContexts.At());

        Assert.Equal([$"config set redis-2 {TestAddresses.OfRedis(2)} replica-priority=0"], Steps.Of(decision.Actions));
        Assert.Equal("redis-2 serves a TLS certificate not issued for its address; Sentinel must not promote it while redis-1 can be", decision.Actions[0].Reason);
        Assert.False(decision.Actions[0].Disruptive);
    }

    [Fact]
    public void AHeldReplicaStaysHeldUntilItServesItsCertificateThenIsLetGo()
    {
        Assert.Empty(Healer.Decide(Plan, Observed(priority2: ReplicaPriority.Held, stale: "redis-2"), HealContexts.At()).Actions);

        var decision = Healer.Decide(Plan, Observed(priority2: ReplicaPriority.Held), HealContexts.At());

        Assert.Equal([$"config set redis-2 {TestAddresses.OfRedis(2)} replica-priority=100"], Steps.Of(decision.Actions));
        Assert.Equal("redis-2 serves the TLS certificate issued for its address; Sentinel may promote it again", decision.Actions[0].Reason);
    }

    [Fact]
    public void WhenNoOtherReplicaCanBePromotedNoneIsHeldBack()
    {
        // Both stale: a failover to a master some clients refuse for a minute beats none.
        Assert.Empty(CertificateRules.Actions(Observed(stale: ["redis-1", "redis-2"]), Master(Observed())));

        // The only replica that serves its certificate has lost its link to the master: it may not be chosen either.
        var observation = Observed(priority2: ReplicaPriority.Held, stale: "redis-2");
        observation = observation.With(observation.Nodes[1] with { MasterLinkUp = false });

        var actions = CertificateRules.Actions(observation, Master(observation)).ToList();

        Assert.Equal([$"config set redis-2 {TestAddresses.OfRedis(2)} replica-priority=100"], Steps.Of(actions));
        Assert.Equal("no other replica can be promoted; redis-2 may be, though its TLS certificate was not issued for its address", actions[0].Reason);
    }

    [Fact]
    public void TheMasterAndNodesWhosePriorityWasNotReadAreLeftAlone()
    {
        var healthy = ObservedClusters.Healthy(Plan) with { StaleCertificates = ["redis-0", "redis-2"] };

        // No priority in the observation (the Healthy fixture reads none), and the master is never held.
        Assert.Empty(CertificateRules.Actions(healthy, Master(healthy)));
    }

    private static RedisNodeObservation Master(ClusterObservation observation) => observation.Nodes.Single(n => n.IsMaster);

    [Fact]
    public void WithoutAMasterEveryHoldIsLifted()
    {
        var observation = Observed(priority2: ReplicaPriority.Held, stale: "redis-2");
        observation = observation.With(ObservedNodes.Silent(0));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal($"config set redis-2 {TestAddresses.OfRedis(2)} replica-priority=100", Steps.Of(decision.Actions)[0]);
        Assert.Equal("there is no master: Sentinel may promote any replica, redis-2 too", decision.Actions[0].Reason);
    }

    [Fact]
    public void AnUnnamedSwitchoverGoesToAReplicaThatIsNotHeldBack()
    {
        // redis-2 has more data, but its certificate does not name its address yet.
        var observation = Observed(priority2: ReplicaPriority.Held, stale: "redis-2");
        observation = observation.With(observation.Nodes[2] with { Offset = 2000 }, observation.Nodes[0] with { Offset = 2000 });
        var inSync = Switchover.InSync(Plan, observation, Master(observation));

        Assert.Equal(["redis-1", "redis-2"], inSync.Select(n => n.Name).Order(StringComparer.Ordinal));
        Assert.Equal("redis-1", Switchover.Choose(inSync, target: null)?.Name);
        // Named, it is the user's choice.
        Assert.Equal("redis-2", Switchover.Choose(inSync, target: "redis-2")?.Name);
    }
}
