using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// Faults under a sequence-numbered writer. Each ends with exactly one master holding every acknowledged write.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const string Name = "chaos";
    private const string ThreeNodes = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: chaos
        spec:
          replicas: 3
        """;

    [Fact]
    public async Task MasterKilledThreeTimesInARow()
    {
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, ThreeNodes);
        for (var round = 1; round <= 3; round++)
        {
            var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
            var master = before.Nodes.Single(n => n.Role == "master");
            var fault = run.Writer.NowTicks;
            Processes.Signal(master.Pid!.Value, Processes.SigKill);
            await run.Cluster.WaitUntilAsync(Name, r => r.Status is { Phase: Phases.Ready } s && s.Master != master.Address && s.Nodes.All(n => n.Pid != master.Pid), $"round {round}: Ready with a new master");
            await run.Writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(20));
            output.WriteLine($"round {round}: write gap {run.Writer.GapAfter(fault):F0} ms");
        }

        await run.FinishAsync();
    }

    [Fact]
    public async Task AllNodesKilledAtOnceComeBackWithEveryAcknowledgedWrite()
    {
        // Persistence is what makes this survivable: AOF with fsync every second, plus the replicas' copies.
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, ThreeNodes + "\n  persistenceMode: both");
        var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        await run.Writer.StopAsync();
        // Acknowledged writes reach disk within a second (appendfsync everysec); give them that before the crash.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        foreach (var node in before.Nodes)
        {
            Processes.Signal(node.Pid!.Value, Processes.SigKill);
        }

        var after = (await run.Cluster.WaitUntilAsync(Name, r => r.Status is { Phase: Phases.Ready } s && s.Nodes.All(n => before.Nodes.All(b => b.Pid != n.Pid)), "Ready with every node restarted")).Status!;
        await SelfHealingTests.AssertOneMasterAndNothingLostAsync(run.Cluster, Name, after, run.Writer);
    }

    [Fact]
    public async Task FrozenMasterIsReplacedBySentinelAndRejoinsAsReplica()
    {
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, ThreeNodes);
        var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        var master = before.Nodes.Single(n => n.Role == "master");
        var fault = run.Writer.NowTicks;
        Processes.Signal(master.Pid!.Value, Processes.SigStop);
        try
        {
            await run.Cluster.WaitUntilAsync(Name, r => r.Status?.Master is { } m && m != master.Address, "a new master");
            await run.Writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(20));
        }
        finally
        {
            // Redoubt fences a hung deposed master (kills it); a process that is gone needs no SIGCONT.
            Processes.TrySignal(master.Pid!.Value, Processes.SigCont);
        }

        output.WriteLine($"write gap after SIGSTOP {run.Writer.GapAfter(fault):F0} ms");
        var healed = (await run.Cluster.WaitUntilAsync(Name, r => r.Status is { Phase: Phases.Ready } s && s.Nodes.Single(n => n.Name == master.Name).Role == "replica", "Ready with the old master back as a replica")).Status!;
        Assert.Contains(healed.Events, e => e.Reason == "Fenced" && e.Message.Contains(master.Name, StringComparison.Ordinal));
        await run.FinishAsync();
    }

    [Fact]
    public async Task SplitBrainMadeByHandIsHealedInFavourOfTheSentinels()
    {
        // The writer re-checks roles at the library's default (60 s), not the printed string's 2 s: a client that re-reads
        // roles that often finds the replica made master by hand within the test and may write there, and those writes
        // go with the rogue (1 of 38,407 seen). This test is about Redoubt keeping the Sentinels' master.
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, ThreeNodes, tuneWriter: options => options.ConfigCheckSeconds = 60);
        var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        var replica = before.Nodes.First(n => n.Role == "replica");
        var keep = new List<ConnectionMultiplexer>();
        try
        {
            await (await run.Cluster.DirectAsync(Name, replica.Address, keep)).ExecuteAsync("REPLICAOF", "NO", "ONE");
            // A fresh connection sees the node as the master it now claims to be.
            var rogue = await run.Cluster.DirectAsync(Name, replica.Address, keep);
            await rogue.StringSetAsync("written-to-the-rogue", "lost by design");
            var healed = (await run.Cluster.WaitUntilAsync(
                Name,
                r => r.Status is { Phase: Phases.Ready } s && s.Nodes.Single(n => n.Name == replica.Name).Role == "replica"
                    && s.Events.Any(e => e.Reason == "DemoteMaster" && e.Message.Contains(replica.Name, StringComparison.Ordinal)),
                "the rogue master demoted")).Status!;
            Assert.Equal(before.Master, healed.Master);
            Assert.True((await rogue.StringGetAsync("written-to-the-rogue")).IsNull, "the demoted node kept a write the master never had");
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }

        await run.FinishAsync();
    }

    [Fact]
    public async Task MasterRestartedWithAnEmptyDataFolderNeverWipesTheOthers()
    {
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, ThreeNodes + "\n  persistenceMode: both");
        var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        var master = before.Nodes.Single(n => n.Role == "master");
        var data = Path.Combine(run.Cluster.Home, "resources", "default", Name, master.Name, "data");
        Processes.Signal(master.Pid!.Value, Processes.SigKill);
        foreach (var entry in Directory.EnumerateFileSystemEntries(data))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }

        await run.Cluster.WaitUntilAsync(Name, r => r.Status is { Phase: Phases.Ready } s && s.Nodes.Single(n => n.Name == master.Name) is { Role: "replica" } n && n.Pid != master.Pid, "Ready with the emptied node back as a replica");
        await run.Writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(20));
        await run.FinishAsync();
    }

    [Fact]
    public async Task ControlPlaneCrashLeavesRedisServingAndTheNextOneAdoptsWithoutRestarting()
    {
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, ThreeNodes);
        var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        // What survives a crash is what survives this: the control plane goes away without touching its nodes.
        await run.Cluster.ControlPlane.StopAsync(stopNodes: false, CancellationToken.None);
        await run.Cluster.ControlPlane.DisposeAsync();
        await run.Writer.WaitForMoreAsync(500, TimeSpan.FromSeconds(10));

        await run.Cluster.StartControlPlaneAsync();
        var after = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        Assert.Equal(before.Master, after.Master);
        Assert.Equal(before.Nodes.Select(n => (n.Name, n.Pid)).OrderBy(n => n.Name), after.Nodes.Select(n => (n.Name, n.Pid)).OrderBy(n => n.Name));
        Assert.Equal(before.SentinelNodes.Select(n => n.Pid).Order(), after.SentinelNodes.Select(n => n.Pid).Order());

        // And healing resumed: a master killed now still fails over fast.
        var master = after.Nodes.Single(n => n.Role == "master");
        Processes.Signal(master.Pid!.Value, Processes.SigKill);
        var healed = (await run.Cluster.WaitUntilAsync(Name, r => r.Status is { Phase: Phases.Ready } s && s.Master != master.Address, "Ready with a new master after the adopted master died")).Status!;
        Assert.Contains("exited", healed.LastFailover!.Cause, StringComparison.Ordinal);
        await run.FinishAsync();
    }

    [Fact]
    public async Task RollingRestartRestartsEveryNodeOnceTheMasterLastWithNoAcknowledgedWriteLost()
    {
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, ThreeNodes);
        var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        var pids = before.Nodes.Concat<object>(before.SentinelNodes).Count();

        var mark = await run.Cluster.ControlPlane.RestartAsync("default", Name, CancellationToken.None);

        Assert.NotNull(mark);
        var after = (await run.Cluster.WaitUntilAsync(
            Name,
            r => r.Status is { Phase: Phases.Ready } s && s.Conditions.Any(c => c.Type == "UpToDate" && c.Status == "True")
                && s.Nodes.All(n => before.Nodes.All(b => b.Pid != n.Pid)) && s.SentinelNodes.All(n => before.SentinelNodes.All(b => b.Pid != n.Pid)),
            "Ready and up to date with every node restarted",
            TimeSpan.FromMinutes(3))).Status!;
        await run.Writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(10));

        // Every node restarted once (the status keeps the last 50 events, enough for these), the old master last,
        // after a switchover moved the master: not a failover after a kill.
        var restarted = after.Events.Where(e => e.Reason == "Restarted").Select(e => e.Message.Split(':')[0]).ToList();
        output.WriteLine(string.Join("\n", after.Events.Select(e => $"{e.Reason}: {e.Message}")));
        Assert.Equal(pids, restarted.Count);
        Assert.Equal(pids, restarted.Distinct().Count());
        Assert.Equal($"restart {before.Nodes.Single(n => n.Role == "master").Name}", restarted[^1]);
        Assert.NotEqual(before.Master, after.Master);
        Assert.Equal("planned switchover", after.LastFailover?.Cause);
        Assert.DoesNotContain(after.Events, e => e.Reason is "FastFailover" or "Fenced" or "ActionFailed");
        Assert.Equal(mark, (await run.Cluster.ControlPlane.GetAsync("default", Name, CancellationToken.None))!.Metadata.Annotations[ResourceAnnotations.RestartedAt]);
        await run.FinishAsync();
    }
}
