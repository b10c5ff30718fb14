using System.Diagnostics;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// A Sentinel whose process was stopped for more than two seconds (its machine or zone frozen, a VM paused) enters
/// TILT when it runs again: for the TILT period it judges nothing down and tells its peers the master is up. At
/// Sentinel's default of 30 s, a second fault within that time (another Sentinel gone and the master hung) leaves one
/// Sentinel short of the quorum of two, and writes stop for the rest of the 30 s: what the pods run found when a zone
/// was frozen twice. Redoubt sets the period from the resource's down-after (5 s with the default).
/// </summary>
public sealed class SentinelTiltTests(ITestOutputHelper output)
{
    private const string Name = "tilt";

    /// <summary>Sentinel's default TILT period: a failover that needs the thawed Sentinel could not come sooner with it.</summary>
    private static readonly TimeSpan DefaultTiltPeriod = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AFailoverThatNeedsASentinelJustOutOfAFreezeWaitsSecondsNotSentinelsThirty()
    {
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, $"""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: {Name}
            spec:
              replicas: 3
            """);
        var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        var master = before.Nodes.Single(n => n.Role == "master");
        var thawed = before.SentinelNodes[0];
        var gone = before.SentinelNodes[1];
        var planned = Core.Planning.Planner.SentinelTimersFor(SpecDefaults.DownAfterMilliseconds).Single(t => t.Key == Core.Planning.Planner.TiltPeriod).Value;

        await using var sentinel = await run.Cluster.AdminOnAsync(Name, thawed.Address, sentinel: true);
        var server = sentinel.GetServer(thawed.Address);
        // The healer sets the period on every Sentinel once it runs.
        var tiltPeriod = await PollAsync(async () => await TimerAsync(server, "TILT-PERIOD") is var value && value == planned ? value : null, TimeSpan.FromSeconds(20), $"TILT-PERIOD {planned} on {thawed.Name}");
        output.WriteLine($"{thawed.Name}: TILT-PERIOD {tiltPeriod} ms");

        // A freeze of 3 s: more than the two seconds that trigger TILT.
        Processes.Signal(thawed.Pid!.Value, Processes.SigStop);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            Processes.Signal(thawed.Pid!.Value, Processes.SigCont);
        }

        var thawedAt = Stopwatch.StartNew();
        await PollAsync(async () => await TiltAsync(server) ? "tilt" : null, TimeSpan.FromSeconds(5), $"{thawed.Name} to enter TILT after its freeze");
        output.WriteLine($"{thawed.Name} entered TILT {thawedAt.ElapsedMilliseconds} ms after the thaw");

        // The second fault, at once: another Sentinel gone and the master hung. The quorum of two needs the thawed one.
        Processes.Signal(gone.Pid!.Value, Processes.SigStop);
        Processes.Signal(master.Pid!.Value, Processes.SigStop);
        var fault = run.Writer.NowTicks;
        try
        {
            var after = (await run.Cluster.WaitUntilAsync(
                Name,
                r => r.Status is { } s && s.Master is { } m && m != master.Address && s.Nodes.Any(n => n.Address == m && n.Role == "master"),
                "a new master while one Sentinel is stopped and another has just come out of a freeze",
                DefaultTiltPeriod)).Status!;
            var took = thawedAt.Elapsed;
            output.WriteLine($"new master {after.Master} {took.TotalMilliseconds:F0} ms after the thaw; write gap {run.Writer.GapAfter(fault):F0} ms");

            // TILT period, down-after, election and promotion, with room for a loaded machine; Sentinel's default would need 30 s or more.
            Assert.True(took < TimeSpan.FromSeconds(20), $"the failover came {took.TotalSeconds:F1} s after the thaw: the thawed Sentinel stayed in TILT about as long as Sentinel's default");
        }
        finally
        {
            Processes.Signal(gone.Pid!.Value, Processes.SigCont);
            Processes.TrySignal(master.Pid!.Value, Processes.SigCont);
        }

        await run.Writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(20));
        await run.FinishAsync();
    }

    private static async Task<string?> TimerAsync(IServer sentinel, string name)
    {
        try
        {
            var reply = (RedisResult[])(await sentinel.ExecuteAsync("SENTINEL", "DEBUG"))!;
            for (var i = 0; i + 1 < reply.Length; i += 2)
            {
                if (string.Equals((string?)reply[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    return (string?)reply[i + 1];
                }
            }
        }
        catch (RedisException)
        {
            // Not up yet: asked again.
        }

        return null;
    }

    private static async Task<bool> TiltAsync(IServer sentinel)
    {
        try
        {
            var info = (string?)await sentinel.ExecuteAsync("INFO", "sentinel") ?? "";
            return info.Split('\n').Any(l => l.Trim() == "sentinel_tilt:1");
        }
        catch (RedisException)
        {
            return false;
        }
    }

    private static async Task<string> PollAsync(Func<Task<string?>> attempt, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await attempt() is { } value)
            {
                return value;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"waited {limit.TotalSeconds:F0} s for {what}");
        return "";
    }
}
