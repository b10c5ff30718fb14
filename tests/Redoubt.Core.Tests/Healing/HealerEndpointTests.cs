using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.ObservedNodes;
using static Redoubt.Core.Tests.Fixtures.ObservedSentinels;

namespace Redoubt.Core.Tests.Healing;

/// <summary>The master endpoint is served by the master and by no other node; the others let go before the master takes it.</summary>
public sealed class HealerEndpointTests
{
    private const string Endpoint = "127.0.9.9:7000";
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    private static HealContext WithEndpoint(string? endpoint = Endpoint) => HealContexts.At() with { Endpoint = endpoint };

    private static RedisNodeObservation Listening(RedisNodeObservation node, bool onEndpoint) =>
        node.ConfiguredAs(Plan) with { Bind = onEndpoint ? "127.0.0.1 127.0.9.9" : "127.0.0.1" };

    private static ClusterObservation Cluster(params RedisNodeObservation[] nodes) =>
        ObservedClusters.Healthy(Plan).With(nodes);

    [Fact]
    public void AMasterThatDoesNotServeTheEndpointTakesIt()
    {
        var observation = Cluster(Listening(Master(0).Serving(1, 2), false), Listening(Replica(1, of: 0), false), Listening(Replica(2, of: 0), false));

        var decision = Healer.Decide(Plan, observation, WithEndpoint());

        var hold = Assert.IsType<HoldEndpoint>(Assert.Single(decision.Actions));
        Assert.Equal($"hold {Endpoint} on redis-0", Steps.Of(hold));
        Assert.Equal("127.0.0.1:7000", hold.Address);
        Assert.False(hold.Disruptive);
    }

    [Fact]
    public void AMasterThatServesItAlreadyNeedsNothing()
    {
        var observation = Cluster(Listening(Master(0).Serving(1, 2), true), Listening(Replica(1, of: 0), false), Listening(Replica(2, of: 0), false));

        Assert.Empty(Healer.Decide(Plan, observation, WithEndpoint()).Actions);
    }

    [Fact]
    public void AReplicaStillServingItLetsGoBeforeTheMasterTakesIt()
    {
        // The old master of a switchover that did not answer when the endpoint moved.
        var observation = Cluster(Listening(Master(0).Serving(1, 2), false), Listening(Replica(1, of: 0), true), Listening(Replica(2, of: 0), false));

        var decision = Healer.Decide(Plan, observation, WithEndpoint());

        Assert.Equal([$"release {Endpoint} from redis-1", $"hold {Endpoint} on redis-0"], Steps.Of(decision.ActionsForThisPass()));
        Assert.Equal("redis-1 is not the master (redis-0 is) but serves the master endpoint", decision.Actions[0].Reason);
    }

    [Fact]
    public void WithoutAnEndpointNothingIsBoundOrReleased()
    {
        // Kubernetes (its master Service routes clients), or a resource created before endpoints.
        var observation = Cluster(Listening(Master(0).Serving(1, 2), false), Listening(Replica(1, of: 0), true), Listening(Replica(2, of: 0), false));

        Assert.Empty(Healer.Decide(Plan, observation, WithEndpoint(null)).Actions);
    }

    [Fact]
    public void AMasterWhoseAddressesAreUnknownIsLeftForTheNextPass()
    {
        var observation = Cluster(Master(0).Serving(1, 2).ConfiguredAs(Plan), Listening(Replica(1, of: 0), false), Listening(Replica(2, of: 0), false));

        Assert.Empty(Healer.Decide(Plan, observation, WithEndpoint()).Actions);
    }

    [Fact]
    public void InASplitBrainTheDemotedMasterLetsGoAndTheSentinelsMasterTakesIt()
    {
        var observation = ObservedClusters.Of(
            [Listening(Master(0, offset: 100), false), Listening(Master(1, offset: 9000), true), Listening(Replica(2, of: 0), false)],
            [Watching(Plan, 0, master: 0), Watching(Plan, 1, master: 0), Watching(Plan, 2, master: 0)]);

        var decision = Healer.Decide(Plan, observation, WithEndpoint());

        Assert.Equal("redis-0", decision.Master?.Name);
        Assert.Equal(
            ["demote redis-1 127.0.0.1:7001 to 127.0.0.1:7000", $"release {Endpoint} from redis-1", $"hold {Endpoint} on redis-0"],
            Steps.Of(decision.ActionsForThisPass()));
    }

    [Fact]
    public void AHungDeposedMasterIsFencedWhileTheNewMasterIsToldToTakeTheEndpoint()
    {
        // It still listens there (a stopped process keeps its sockets): the hold fails until the fence frees it.
        var observation = Cluster(Silent(0) with { Pid = 4242 }, Listening(Master(1).Serving(2), false), Listening(Replica(2, of: 1), false))
            with { Sentinels = [Watching(Plan, 0, master: 1), Watching(Plan, 1, master: 1), Watching(Plan, 2, master: 1)] };
        var context = WithEndpoint() with { DeposedMaster = "127.0.0.1:7000", DeposedPid = 4242 };

        var decision = Healer.Decide(Plan, observation, context);

        Assert.Equal(["fence redis-0 127.0.0.1:7000", $"hold {Endpoint} on redis-1"], Steps.Of(decision.ActionsForThisPass()));
    }
}
