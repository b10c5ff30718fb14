using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Telemetry;
using Redoubt.Core.Tests.Fixtures;
using Redoubt.Model;
using static Redoubt.Core.Tests.Fixtures.ObservedNodes;
using static Redoubt.Core.Tests.Fixtures.ObservedSentinels;

namespace Redoubt.Core.Tests.Telemetry;

/// <summary>From a pass's observation and status to the numbers the metrics show.</summary>
public sealed class SamplesTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);
    private static readonly RedisResource Resource = new() { Metadata = { Name = "cache", Namespace = "shop" }, Spec = new RedisSpec { Replicas = 3 } };

    private static RedisStatus StatusWithMaster(string? master, string phase = Phases.Ready, params (string Type, string Status)[] conditions) => new()
    {
        Phase = phase,
        Master = master,
        Conditions = [.. conditions.Select(c => new StatusCondition { Type = c.Type, Status = c.Status })],
    };

    [Fact]
    public void TheResourceIsNamedAndItsPhaseConditionsAndMasterCarriedOver()
    {
        var status = StatusWithMaster(TestAddresses.OfRedis(0), Phases.Degraded, ("Ready", "False"), ("MasterAvailable", "True"), ("Persisting", "Unknown"));

        var sample = Samples.Of(Resource, Plan, ObservedClusters.Healthy(Plan), status);

        Assert.Equal(("shop", "cache", Phases.Degraded), (sample.Namespace, sample.Name, sample.Phase));
        Assert.Equal(new Dictionary<string, bool> { ["Ready"] = false, ["MasterAvailable"] = true, ["Persisting"] = false }, sample.Conditions);
        Assert.True(sample.HasMaster);
        Assert.Equal(Plan.Spec.Sentinel.Quorum, sample.SentinelQuorum);
    }

    [Theory]
    // master offset, replica 1 offset, replica 2 offset, replica 2 linked → lag bytes of 1 and 2, unreplicated bytes
    [InlineData(5000, 4900, 5000, true, 100, 0, 0L)]
    [InlineData(5000, 4900, 4000, true, 100, 1000, 100L)]
    [InlineData(5000, 4900, 4000, false, 100, 1000, 100L)]
    [InlineData(5000, 5100, 4000, true, 0, 1000, 0L)]
    public void LagIsTheMastersOffsetMinusTheReplicasAndWritesAtRiskAreWhatTheBestLinkedReplicaLacks(
        long masterOffset, long offset1, long offset2, bool linked2, long lag1, long lag2, long unreplicated)
    {
        var observation = ObservedClusters.Of(
            [Master(0, offset: masterOffset).Serving(1, 2), Replica(1, of: 0, offset: offset1), Replica(2, of: 0, offset: offset2) with { MasterLinkUp = linked2 }],
            [Watching(Plan, 0, master: 0)]);

        var sample = Samples.Of(Resource, Plan, observation, StatusWithMaster(TestAddresses.OfRedis(0)));

        Assert.Equal([0L, lag1, lag2], sample.Nodes!.Select(n => n.LagBytes ?? -1));
        Assert.Equal(unreplicated, sample.UnreplicatedBytes);
        Assert.Equal([null, true, linked2], sample.Nodes!.Select(n => n.MasterLinkUp));
    }

    [Fact]
    public void WithoutAMasterNeitherLagNorWritesAtRiskIsKnown()
    {
        var observation = ObservedClusters.Of([Silent(0), Replica(1, of: 0), Replica(2, of: 0)], []);

        var sample = Samples.Of(Resource, Plan, observation, StatusWithMaster(null, Phases.FailingOver));

        Assert.False(sample.HasMaster);
        Assert.Null(sample.UnreplicatedBytes);
        Assert.All(sample.Nodes!, n => Assert.Null(n.LagBytes));
    }

    [Fact]
    public void ASilentNodeIsDownWithNoRoleAndNoFigures()
    {
        var node = Samples.Node(Silent(1), Master(0));

        Assert.False(node.Up);
        Assert.Null(node.Role);
        Assert.Null(node.OffsetBytes);
        Assert.Null(node.UsedMemoryBytes);
        Assert.Null(node.MasterLinkUp);
    }

    [Fact]
    public void AParkedReplicaHasNoLinkToAMaster()
    {
        var node = Samples.Node(Parked(1), Master(0));

        Assert.Equal("replica", node.Role);
        Assert.False(node.MasterLinkUp);
        Assert.Null(node.LagBytes);
    }

    [Fact]
    public void LagInSecondsIsWhatTheMasterSaysOfTheReplica()
    {
        var master = Master(0) with { Replicas = [new ConnectedReplica(TestAddresses.OfRedis(1), "online", 1000, 7)] };

        Assert.Equal(7, Samples.Node(Replica(1, of: 0), master).LagSeconds);
        Assert.Equal(0, Samples.Node(master, master).LagSeconds);
    }

    [Fact]
    public void StatsComeFromTheNodesInfo()
    {
        var stats = new NodeStats { UsedMemoryBytes = 1 << 20, MaxMemoryBytes = 1 << 30, EvictedKeys = 3, ExpiredKeys = 4, OpsPerSecond = 250, LastSaveUnixSeconds = 1_900_000_000, AofEnabled = true, AofWriteOk = false };

        var node = Samples.Node(Master(0, keys: 42) with { Stats = stats, SnapshotFailed = true }, null);

        Assert.Equal((1L << 20, 1L << 30, 42L, 3L, 4L, 250L), (node.UsedMemoryBytes!.Value, node.MaxMemoryBytes!.Value, node.Keys!.Value, node.EvictedKeys!.Value, node.ExpiredKeys!.Value, node.OpsPerSecond!.Value));
        Assert.Equal((1_900_000_000L, false, true, false), (node.LastSaveUnixSeconds!.Value, node.LastSaveOk!.Value, node.AofEnabled!.Value, node.AofWriteOk!.Value));
    }

    [Fact]
    public void OnlyReachableSentinelsThatMonitorTheMasterOfTheStatusCount()
    {
        var observation = ObservedClusters.Healthy(Plan) with
        {
            Sentinels = [Watching(Plan, 0, master: 0), Watching(Plan, 1, master: 1), NotMonitoring(2)],
        };

        var sample = Samples.Of(Resource, Plan, observation, StatusWithMaster(TestAddresses.OfRedis(0)));

        Assert.Equal(1, sample.SentinelsMonitoring);
        Assert.Equal([true, false, false], sample.Sentinels!.Select(s => s.MonitorsMaster));
    }

    [Fact]
    public void AFailedPassReportsPhaseAndConditionsButNoNodes()
    {
        var sample = Samples.Of(Resource, Plan, null, StatusWithMaster(null, Phases.Failed, ("Ready", "False")));

        Assert.Equal(Phases.Failed, sample.Phase);
        Assert.Null(sample.Nodes);
        Assert.Null(sample.Sentinels);
    }

    [Theory]
    // pid before, start before (minutes), pid now, start now, restarted
    [InlineData(100, 0, 100, 0, false)]
    [InlineData(100, 0, 101, 5, true)]
    [InlineData(null, 0, null, 5, true)]
    [InlineData(null, 0, null, 0, false)]
    [InlineData(100, 0, null, null, false)]
    [InlineData(null, null, 101, 5, false)]
    public void ARestartIsANewPidOrWithoutPidsANewStartTime(int? pidBefore, int? startBefore, int? pidNow, int? startNow, bool restarted)
    {
        static NodeSample Sample(int? pid, int? start) =>
            new() { Node = "redis-0", Zone = "gland", Pid = pid, Since = start is { } m ? ObservedClusters.T0.AddMinutes(m) : null };

        Assert.Equal(restarted, Samples.Restarted(Sample(pidBefore, startBefore), Sample(pidNow, startNow)));
    }

    [Fact]
    public void ANodeSeenForTheFirstTimeHasNotRestarted()
    {
        Assert.False(Samples.Restarted(null, new NodeSample { Node = "redis-0", Zone = "gland", Pid = 1 }));
    }

    [Fact]
    public void EveryPhaseAStatusCanHaveHasASeries()
    {
        var phases = typeof(Phases).GetFields().Select(f => (string)f.GetValue(null)!);

        Assert.Equal(phases.Order(), Samples.AllPhases.Order());
    }

    [Fact]
    public void ANodeThatExitedIsDown()
    {
        var node = Samples.Node(Silent(0, NodeLifecycle.Exited), null);

        Assert.False(node.Up);
    }
}
