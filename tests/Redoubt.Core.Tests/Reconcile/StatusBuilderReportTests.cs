using Redoubt.Core.Healing;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Reconcile;
using Redoubt.Core.Tests.Fixtures;
using Redoubt.Model;
using static Redoubt.Core.Tests.Fixtures.ObservedNodes;
using static Redoubt.Core.Tests.Fixtures.ObservedSentinels;

namespace Redoubt.Core.Tests.Reconcile;

/// <summary>Phase, per-node and per-Sentinel status, and conditions as users read them.</summary>
public sealed class StatusBuilderReportTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    [Theory]
    [InlineData(true, false, false, Phases.Ready)]
    [InlineData(true, true, true, Phases.Ready)]
    [InlineData(false, true, false, Phases.FailingOver)]
    [InlineData(false, true, true, Phases.FailingOver)]
    [InlineData(false, false, true, Phases.Degraded)]
    [InlineData(false, false, false, Phases.Provisioning)]
    public void ThePhaseSaysReadyThenFailingOverThenDegradedOnceItWasReady(bool ready, bool failingOver, bool everReady, string phase)
    {
        Assert.Equal(phase, StatusBuilder.Phase(ready, failingOver, everReady));
    }

    [Fact]
    public void NodesReportTheirRoleOffsetAndLag()
    {
        var master = Master(0, offset: 5000).Serving(1, 2);
        var observation = ObservedClusters.Of([master, Replica(1, of: 0, offset: 4900), Replica(2, of: 0, offset: 5100)], []);

        var nodes = StatusBuilder.Nodes(observation, master);

        Assert.Equal(["redis-0", "redis-1", "redis-2"], nodes.Select(n => n.Name));
        Assert.Equal(["gland", "lucerne", "geneve"], nodes.Select(n => n.Zone));
        Assert.Equal(["127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7002"], nodes.Select(n => n.Address));
        Assert.Equal([1000, 1001, 1002], nodes.Select(n => n.Pid ?? -1));
        Assert.Equal(["master", "replica", "replica"], nodes.Select(n => n.Role));
        Assert.Equal([5000L, 4900L, 5100L], nodes.Select(n => n.ReplicationOffset));
        Assert.Equal([null, 100L, 0L], nodes.Select(n => n.LagBytes));
        Assert.Equal(["ok", "ok", "ok"], nodes.Select(n => n.Health));
    }

    [Fact]
    public void NodesThatAreNotHealthyReportWhy()
    {
        var master = Master(0).Serving(1);
        var observation = ObservedClusters.Of(
            [
                master,
                Replica(1, of: 0) with { SyncInProgress = true, MasterLinkUp = false },
                Parked(2),
                Replica(3, of: 2),
                Replica(4, of: 0).StillLoading(),
                Silent(5),
                Silent(6, NodeLifecycle.Exited),
                Silent(7, NodeLifecycle.Starting),
                Silent(8, NodeLifecycle.Missing) with { Address = null, Error = "missing" },
            ],
            []);

        var nodes = StatusBuilder.Nodes(observation, master);

        Assert.Equal(["master", "replica", "parked", "replica", "replica", "unreachable", "exited", "starting", "missing"], nodes.Select(n => n.Role));
        Assert.Equal(
            ["ok", "syncing", "waiting for a master", "not in sync", "loading", "down: timeout", "down: exited", "down: starting", "down: missing"],
            nodes.Select(n => n.Health));
        Assert.Equal([null, 0L, null, null, 0L, null, null, null, null], nodes.Select(n => n.LagBytes));
        Assert.Equal("", nodes[8].Address);
    }

    [Fact]
    public void WithoutAMasterNoNodeHasALag()
    {
        var observation = ObservedClusters.Of([Parked(0, 300, 3), Replica(1, of: 0, offset: 100), Silent(2)], []);

        var nodes = StatusBuilder.Nodes(observation, null);

        Assert.Equal(["parked", "replica", "unreachable"], nodes.Select(n => n.Role));
        Assert.Equal(["waiting for a master", "not in sync", "down: timeout"], nodes.Select(n => n.Health));
        Assert.All(nodes, n => Assert.Null(n.LagBytes));
    }

    [Fact]
    public void SentinelsReportWhatTheyMonitorAndHowHealthyThatIs()
    {
        var observation = ObservedClusters.Healthy(Plan)
            .With(Down(1), Watching(Plan, 2, master: 0).WithFlags("master,s_down"));
        observation = observation with { Sentinels = [.. observation.Sentinels, NotMonitoring(3)] };

        var sentinels = StatusBuilder.Sentinels(Plan, observation, observation.Nodes[0]);

        Assert.Equal(["sentinel-0", "sentinel-1", "sentinel-2", "sentinel-3"], sentinels.Select(s => s.Name));
        Assert.Equal(["127.0.0.1:26000", "127.0.0.1:26001", "127.0.0.1:26002", "127.0.0.1:26003"], sentinels.Select(s => s.Address));
        Assert.Equal(["127.0.0.1:7000", null, "127.0.0.1:7000", null], sentinels.Select(s => s.MonitoredMaster));
        Assert.Equal(
            ["ok", "down: connection refused", "flags master,s_down, knows 2 other sentinel(s) and 2 replica(s)", "not monitoring"],
            sentinels.Select(s => s.Health));
        Assert.Equal([2000, null, 2002, 2003], sentinels.Select(s => s.Pid));
    }

    [Fact]
    public void WithoutAMasterNoSentinelIsOk()
    {
        var sentinels = StatusBuilder.Sentinels(Plan, ObservedClusters.Healthy(Plan), null);

        Assert.All(sentinels, s => Assert.Equal("flags master, knows 2 other sentinel(s) and 2 replica(s)", s.Health));
    }

    [Fact]
    public void AHealthyResourceHasEveryConditionTrue()
    {
        var observation = ObservedClusters.Healthy(Plan);
        var decision = new HealDecision(observation.Nodes[0], [], null);

        var conditions = StatusBuilder.Conditions(Plan, observation, decision, ready: true, [], ObservedClusters.T0);

        Assert.Equal(
            [
                ("Ready", "True", "AllHealthy", "master, replicas and Sentinels are healthy"),
                ("MasterAvailable", "True", "MasterElected", "redis-0 at 127.0.0.1:7000 accepts writes"),
                ("ReplicasInSync", "True", "InSync", "2 of 2 replica(s) linked and in sync"),
                ("SentinelsMonitoring", "True", "Monitoring", "3 of 3 Sentinel(s) monitor the master and know each other"),
                ("Persisting", "True", "Persisting", "every node writes to disk as configured"),
                ("UpToDate", "True", "UpToDate", "every node runs its current configuration"),
            ],
            conditions.Select(c => (c.Type, c.Status, c.Reason, c.Message)));
        Assert.All(conditions, c => Assert.Equal(ObservedClusters.T0, c.LastTransitionTime));
    }

    [Fact]
    public void WithoutAMasterTheConditionsSayWhatTheHealerWaitsFor()
    {
        var observation = ObservedClusters.Of([Silent(0), Parked(1), Parked(2)], [NotMonitoring(0), NotMonitoring(1), Down(2)]);
        var decision = new HealDecision(null, [], "waiting for 1 more node(s) to report before choosing the one with the most data");

        var conditions = StatusBuilder.Conditions(Plan, observation, decision, ready: false, [], ObservedClusters.T0);

        Assert.Equal(
            [
                ("Ready", "False", "NotReady", "waiting for 1 more node(s) to report before choosing the one with the most data"),
                ("MasterAvailable", "False", "NoMaster", "waiting for 1 more node(s) to report before choosing the one with the most data"),
                ("ReplicasInSync", "False", "Syncing", "0 of 2 replica(s) linked and in sync"),
                ("SentinelsMonitoring", "False", "NotMonitoring", "0 of 3 Sentinel(s) monitor the master and know each other"),
                ("Persisting", "True", "Persisting", "every node writes to disk as configured"),
                ("UpToDate", "True", "UpToDate", "every node runs its current configuration"),
            ],
            conditions.Select(c => (c.Type, c.Status, c.Reason, c.Message)));
    }

    [Fact]
    public void WithoutAMasterOrAReasonToWaitTheConditionsSayConverging()
    {
        var observation = ObservedClusters.Of([Parked(0), Parked(1), Parked(2)], []);

        var conditions = StatusBuilder.Conditions(Plan, observation, new HealDecision(null, [], null), ready: false, [], ObservedClusters.T0);

        Assert.Equal("converging", conditions[0].Message);
        Assert.Equal("no node is master", conditions[1].Message);
    }

    [Fact]
    public void PartlyConvergedConditionsCountWhatIsInPlace()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Parked(2)).With(Down(1));
        var decision = new HealDecision(observation.Nodes[0], [], null);

        var conditions = StatusBuilder.Conditions(Plan, observation, decision, ready: false, [], ObservedClusters.T0);

        Assert.Equal(["False", "True", "False", "False", "True", "True"], conditions.Select(c => c.Status));
        Assert.Equal("converging", conditions[0].Message);
        Assert.Equal("1 of 2 replica(s) linked and in sync", conditions[2].Message);
        Assert.Equal("2 of 3 Sentinel(s) monitor the master and know each other", conditions[3].Message);
    }

    [Fact]
    public void AConditionKeepsItsTransitionTimeWhileItsStatusDoesNotChange()
    {
        var before = ObservedClusters.T0.AddHours(-1);
        var observation = ObservedClusters.Healthy(Plan).With(Parked(2));
        var decision = new HealDecision(observation.Nodes[0], [], null);
        StatusCondition[] previous =
        [
            new() { Type = "Ready", Status = "False", Reason = "NotReady", Message = "no Redis node answers yet", LastTransitionTime = before },
            new() { Type = "MasterAvailable", Status = "False", Reason = "NoMaster", Message = "no node is master", LastTransitionTime = before },
            new() { Type = "ReplicasInSync", Status = "True", Reason = "InSync", Message = "2 of 2 replica(s) linked and in sync", LastTransitionTime = before },
        ];

        var conditions = StatusBuilder.Conditions(Plan, observation, decision, ready: false, previous, ObservedClusters.T0);

        Assert.Equal(
            [
                ("Ready", "False", before),
                ("MasterAvailable", "True", ObservedClusters.T0),
                ("ReplicasInSync", "False", ObservedClusters.T0),
                ("SentinelsMonitoring", "True", ObservedClusters.T0),
                ("Persisting", "True", ObservedClusters.T0),
                ("UpToDate", "True", ObservedClusters.T0),
            ],
            conditions.Select(c => (c.Type, c.Status, c.LastTransitionTime)));
        Assert.Equal("converging", conditions[0].Message);
    }

    [Fact]
    public void AMasterThatCannotWriteToDiskRefusesWritesAndTheResourceIsNotReady()
    {
        var healthy = ObservedClusters.Healthy(Plan);
        const string failure = "its last snapshot (BGSAVE) failed (a full or unwritable disk, most often; its log says which)";
        var observation = healthy.With(healthy.Nodes[0] with { PersistenceFailure = failure, SnapshotFailed = true })
            .With(healthy.Nodes[2] with { PersistenceFailure = failure, SnapshotFailed = true });
        var decision = new HealDecision(observation.Nodes[0], [], null);

        var conditions = StatusBuilder.Conditions(Plan, observation, decision, ready: false, [], ObservedClusters.T0);

        Assert.False(StatusBuilder.IsReady(Plan, observation, observation.Nodes[0]));
        Assert.True(StatusBuilder.IsReady(Plan, healthy, healthy.Nodes[0]));
        var byType = conditions.ToDictionary(c => c.Type);
        Assert.Equal(("False", "WritesRefused"), (byType["MasterAvailable"].Status, byType["MasterAvailable"].Reason));
        Assert.Contains("refuses writes (MISCONF)", byType["MasterAvailable"].Message, StringComparison.Ordinal);
        Assert.Equal(("False", "PersistenceFailing"), (byType["Persisting"].Status, byType["Persisting"].Reason));
        Assert.Equal($"redis-0: {failure}; redis-2: {failure}", byType["Persisting"].Message);
        Assert.Equal($"redis-0 cannot write to disk: {failure}", byType["Ready"].Message);
    }

    [Fact]
    public void OutdatedNodesAreNamedWithWhyUntilTheyAreRestarted()
    {
        var healthy = ObservedClusters.Healthy(Plan);
        var observation = healthy.With(healthy.Nodes[2] with { Outdated = "redis-server changed on disk (an upgrade)" })
            .With(healthy.Nodes[1] with { Outdated = "redis-server changed on disk (an upgrade)" })
            .With(healthy.Sentinels[0] with { Outdated = "a restart was requested (2030-01-01T12:00:00.000Z)" });
        var decision = new HealDecision(observation.Nodes[0], [], null);

        var upToDate = StatusBuilder.Conditions(Plan, observation, decision, ready: true, [], ObservedClusters.T0).Single(c => c.Type == "UpToDate");

        Assert.Equal(("False", "RestartPending"), (upToDate.Status, upToDate.Reason));
        Assert.Equal(
            "3 node(s) to restart, one at a time; redis-server changed on disk (an upgrade): redis-1, redis-2; a restart was requested (2030-01-01T12:00:00.000Z): sentinel-0",
            upToDate.Message);
    }

    [Fact]
    public void WhyARollingRestartHoldsIsSaidWhereItIsPendingEvenWhileTheResourceIsReady()
    {
        var healthy = ObservedClusters.Healthy(Plan);
        var observation = healthy.With(healthy.Nodes[0] with { Outdated = "its configuration changed" });
        var decision = new HealDecision(observation.Nodes[0], [], "1 node(s) to restart; waiting until redis-2 serves the TLS certificate issued for its address");

        var conditions = StatusBuilder.Conditions(Plan, observation, decision, ready: true, [], ObservedClusters.T0).ToDictionary(c => c.Type);

        Assert.Equal("True", conditions["Ready"].Status);
        Assert.Equal(
            "1 node(s) to restart, one at a time; its configuration changed: redis-0; waiting until redis-2 serves the TLS certificate issued for its address",
            conditions["UpToDate"].Message);
    }
}
