using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>Kill a part, and the resource heals back to Ready without losing an acknowledged write.</summary>
public sealed class SelfHealingTests(ITestOutputHelper output)
{
    private const string ThreeNodes = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: heal
        spec:
          replicas: 3
        """;

    [Fact]
    public async Task KilledMasterIsFailedOverFastAndReturnsAsReplicaWithNoAcknowledgedWriteLost()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(ThreeNodes);
        var before = (await cluster.WaitReadyAsync("heal")).Status!;
        var oldMaster = before.Nodes.Single(n => n.Role == "master");

        await using var writer = await cluster.StartWriterAsync("heal");
        await writer.WaitForMoreAsync(500, TimeSpan.FromSeconds(10));

        var fault = writer.NowTicks;
        Processes.Signal(oldMaster.Pid!.Value, Processes.SigKill);
        await writer.WaitForMoreAsync(500, TimeSpan.FromSeconds(30));
        var after = (await cluster.WaitUntilAsync("heal", r => r.Status?.Phase == Phases.Ready && r.Status.Master != oldMaster.Address, "Ready with a new master")).Status!;
        await writer.StopAsync();
        output.WriteLine($"client write gap {writer.GapAfter(fault):F0} ms; server-side failover {after.LastFailover?.DurationMs} ms");

        await AssertOneMasterAndNothingLostAsync(cluster, "heal", after, writer);
        Assert.Equal("replica", after.Nodes.Single(n => n.Name == oldMaster.Name).Role);
        Assert.NotNull(after.LastFailover);
        Assert.Contains("exited", after.LastFailover!.Cause, StringComparison.Ordinal);
        Assert.Equal(oldMaster.Name, after.LastFailover.From);
    }

    [Theory]
    [InlineData("replica")]
    [InlineData("sentinel")]
    public async Task KilledNodeIsRestartedAndTheResourceReturnsToReady(string which)
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(ThreeNodes);
        var before = (await cluster.WaitReadyAsync("heal")).Status!;
        var (name, pid) = which == "replica"
            ? (before.Nodes.First(n => n.Role == "replica").Name, before.Nodes.First(n => n.Role == "replica").Pid!.Value)
            : (before.SentinelNodes[1].Name, before.SentinelNodes[1].Pid!.Value);

        await using var writer = await cluster.StartWriterAsync("heal");
        await writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(10));
        Processes.Signal(pid, Processes.SigKill);

        var after = (await cluster.WaitUntilAsync("heal", r => r.Status?.Phase == Phases.Ready && Pid(r.Status, name) is { } p && p != pid, $"Ready with {name} restarted")).Status!;
        await writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(10));
        await writer.StopAsync();
        Assert.Equal(before.Master, after.Master);
        await AssertOneMasterAndNothingLostAsync(cluster, "heal", after, writer);
    }

    [Fact]
    public async Task StoppingAndStartingAgainKeepsTheData()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(ThreeNodes);
        await cluster.WaitReadyAsync("heal");
        await using (var client = await cluster.ConnectAsync("heal"))
        {
            var db = client.GetDatabase();
            for (var i = 0; i < 200; i++)
            {
                await db.StringSetAsync($"keep:{i}", i);
            }

            await db.ExecuteAsync("WAIT", 2, 5000);
        }

        await cluster.ControlPlane.StopAsync(stopNodes: true, CancellationToken.None);
        await cluster.ControlPlane.DisposeAsync();
        await cluster.StartControlPlaneAsync();
        var after = (await cluster.WaitReadyAsync("heal")).Status!;

        await using var again = await cluster.ConnectAsync("heal");
        var values = await again.GetDatabase().StringGetAsync([.. Enumerable.Range(0, 200).Select(i => (RedisKey)$"keep:{i}")]);
        Assert.All(values, v => Assert.False(v.IsNull, "a key written before the restart is gone"));
        Assert.Single(after.Nodes, n => n.Role == "master");
    }

    private static int? Pid(RedisStatus status, string name) =>
        status.Nodes.FirstOrDefault(n => n.Name == name)?.Pid ?? status.SentinelNodes.FirstOrDefault(s => s.Name == name)?.Pid;

    internal static async Task AssertOneMasterAndNothingLostAsync(LocalCluster cluster, string name, RedisStatus status, SequenceWriter writer)
    {
        Assert.Single(status.Nodes, n => n.Role == "master");
        var keep = new List<ConnectionMultiplexer>();
        try
        {
            var master = await cluster.DirectAsync(name, status.Master!, keep);
            var missing = await writer.MissingOnAsync(master);
            Assert.True(missing.Count == 0, $"{missing.Count} of {writer.Acknowledged} acknowledged writes are missing on the master, e.g. {string.Join(", ", missing.Take(10))}");
            Assert.True(writer.Acknowledged > 0);
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }
    }
}
