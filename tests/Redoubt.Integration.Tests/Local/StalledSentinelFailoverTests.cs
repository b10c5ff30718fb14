using System.Diagnostics;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// Sentinel's own failover can end without a promotion: an election nobody wins (Sentinels that judge the master down
/// in the same instant each vote for themselves), or a leader that dies right after it won. Sentinel then waits two
/// failover timeouts before it tries again. Redoubt sees that no Sentinel fails over any more while the master is still
/// gone, and forces a failover at once.
/// </summary>
public sealed class StalledSentinelFailoverTests(ITestOutputHelper output)
{
    private const string Name = "stall";

    /// <summary>Long enough that the Sentinels, left to themselves, try again only 40 s after the attempt that ended.</summary>
    private const int FailoverTimeoutMs = 20_000;

    [Fact]
    public async Task WhenTheSentinelsOwnFailoverEndsWithoutAPromotionRedoubtForcesOneAtOnce()
    {
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, $"""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: {Name}
            spec:
              replicas: 3
              sentinel:
                failoverTimeout: {FailoverTimeoutMs}
            """);
        var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        var master = before.Nodes.Single(n => n.Role == "master");
        await run.Writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(20));

        // Redoubt steps out (the nodes keep running), so that the Sentinels fail over by themselves; whichever wins the
        // election crashes right after it.
        await run.Cluster.StopControlPlaneAsync(stopNodes: false);
        var sentinels = new Dictionary<string, ConnectionMultiplexer>();
        try
        {
            foreach (var address in before.Sentinels)
            {
                sentinels[address] = await run.Cluster.AdminOnAsync(Name, address, sentinel: true);
                await sentinels[address].GetServer(address).ExecuteAsync("SENTINEL", "SIMULATE-FAILURE", "CRASH-AFTER-ELECTION");
            }

            Processes.Signal(master.Pid!.Value, Processes.SigKill);
            var stalled = await WaitForStallAsync(sentinels, before.MasterName);
            output.WriteLine($"the Sentinels' own failover ended without a promotion: {stalled}");

            // The others would crash too, should they lead: Redoubt's forced failover needs one that does not.
            // SIMULATE-FAILURE clears what was set before it reads its arguments; Redis 7.0 wants at least one, and HELP
            // sets nothing.
            foreach (var (address, connection) in sentinels.Where(s => s.Value.IsConnected))
            {
                await connection.GetServer(address).ExecuteAsync("SENTINEL", "SIMULATE-FAILURE", "HELP");
            }
        }
        finally
        {
            foreach (var connection in sentinels.Values)
            {
                await connection.DisposeAsync();
            }
        }

        var stall = Stopwatch.StartNew();
        await run.Cluster.StartControlPlaneAsync();
        // Left to themselves, the Sentinels promote nobody for two failover timeouts (40 s) after the attempt that
        // ended; the bound leaves room for a slow machine and still cannot be met without Redoubt forcing a failover.
        var after = (await run.Cluster.WaitUntilAsync(
            Name,
            r => r.Status is { Phase: Phases.Ready } s && s.Master != master.Address && s.Nodes.All(n => n.Pid != master.Pid),
            "Ready with a new master after the stalled failover",
            TimeSpan.FromSeconds(30))).Status!;
        output.WriteLine($"new master {after.Master} {stall.ElapsedMilliseconds} ms after the control plane came back; events:\n{string.Join("\n", after.Events.Select(e => $"{e.Reason}: {e.Message}"))}");
        // Redoubt forced the failover: either it found the Sentinels' attempt stalled, or (when the old master, restarted
        // parked on its address, answered the Sentinels first and cleared their judgement that it is down) it found
        // no failover running at all and asked for one at once.
        Assert.Contains(after.Events, e => e.Reason is "SentinelFailoverStalled" or "FastFailover" && e.Message.Contains(master.Name, StringComparison.Ordinal));
        Assert.Contains(after.Events, e => e.Reason == "FailedOver" && !e.Message.Contains("Sentinel failed over", StringComparison.Ordinal));
        Assert.Single(after.Nodes, n => n.Role == "master");

        await run.Writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(20));
        await run.FinishAsync();
    }

    /// <summary>
    /// Until the Sentinels' attempt has ended without a promotion: the leader crashed after its election (it no longer
    /// answers), or the election timed out with no winner (every Sentinel judges the master down, none fails over).
    /// </summary>
    private static async Task<string> WaitForStallAsync(Dictionary<string, ConnectionMultiplexer> sentinels, string masterName)
    {
        var clock = Stopwatch.StartNew();
        var seen = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var flags = new List<string?>();
            foreach (var (address, connection) in sentinels)
            {
                try
                {
                    var fields = (await connection.GetServer(address).SentinelMasterAsync(masterName)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
                    flags.Add(fields["flags"]);
                }
                catch (RedisException)
                {
                    flags.Add(null);
                }
            }

            seen = string.Join("; ", flags.Select(f => f ?? "(no answer)"));
            if (flags.Any(f => f is null) || flags.All(f => f!.Contains("o_down", StringComparison.Ordinal) && !f.Contains("failover_in_progress", StringComparison.Ordinal)))
            {
                return seen;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"the Sentinels' failover neither crashed its leader nor ended within 60 s; last flags: {seen}");
        return seen;
    }
}
