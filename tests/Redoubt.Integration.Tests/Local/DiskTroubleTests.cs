using System.Diagnostics;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// The master's disk fills up: once a snapshot fails Redis refuses writes (MISCONF), even PING, so the Sentinels fail
/// it over and writes go on on a replica; the status says which node cannot write to disk and why; nothing
/// acknowledged is lost; and the node is healthy again soon after its disk has room. The disk is a small
/// tmpfs mounted on the node's data folder (root or password-less sudo), unmounted at the end.
/// </summary>
public sealed class DiskTroubleTests(ITestOutputHelper output)
{
    private const string Resource = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: disk
        spec:
          replicas: 3
        """;

    [Fact]
    public async Task AFullDiskOnTheMasterIsReportedAndFailedOverLosesNothingAndRecoversWhenSpaceReturns()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Resource);
        var before = (await cluster.WaitReadyAsync("disk")).Status!;
        var node = before.Nodes.First(n => n.Role == "replica");
        var data = Path.Combine(cluster.ResourceFolder("disk"), node.Name, "data");
        var mounted = false;
        var keep = new List<ConnectionMultiplexer>();
        try
        {
            // A running Redis works in the folder it started in: the node restarts onto the small disk, resyncs, and
            // is made master by a switchover.
            var (exit, error) = await Privileged.RunAsync("mount", "-t", "tmpfs", "-o", $"size=8m,mode=0700,uid={Id("-u")},gid={Id("-g")}", "tmpfs", data);
            Assert.True(exit == 0, $"mount of a tmpfs on {data} failed: {error}");
            mounted = true;
            Processes.Signal(node.Pid!.Value, Processes.SigKill);
            await cluster.WaitUntilAsync("disk", r => r.Status is { Phase: Phases.Ready } s && s.Nodes.Any(n => n.Name == node.Name && n.Pid != node.Pid), $"Ready with {node.Name} restarted on the small disk");
            var switched = await cluster.ControlPlane.FailoverAsync("default", "disk", node.Name, CancellationToken.None);
            Assert.True(switched.Succeeded, $"switchover to {node.Name}: {switched.Message}");
            await cluster.WaitUntilAsync("disk", r => r.Status is { Phase: Phases.Ready } s && s.Master == node.Address, $"Ready with {node.Name} as master");

            await using var writer = await cluster.StartWriterAsync("disk");
            await writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(10));
            var filler = Path.Combine(data, "filler");
            Fill(filler);
            var master = await cluster.DirectAsync("disk", node.Address!, keep);
            await master.ExecuteAsync("BGSAVE");

            // The full disk is reported on the node, and the master that can no longer persist refuses writes.
            var reported = (await cluster.WaitUntilAsync("disk", r => r.Status?.Conditions.Any(c => c.Type == "Persisting" && c.Status == "False") == true, "the full disk in the status")).Status!;
            Assert.NotEqual(Phases.Ready, reported.Phase);
            var persisting = reported.Conditions.Single(c => c.Type == "Persisting");
            Assert.Equal("PersistenceFailing", persisting.Reason);
            Assert.StartsWith($"{node.Name}: its last snapshot (BGSAVE) failed", persisting.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(reported.Conditions, c => c.Reason == "LoginRefused");

            // It answers even PING with MISCONF, so the Sentinels fail it over; writes go on on a replica while the disk
            // is still full.
            var movedOn = (await cluster.WaitUntilAsync("disk", r => r.Status is { } st && st.Master is { } m && m != node.Address && st.Nodes.Any(n => n.Name == node.Name && n.Role == "replica")
                && st.Conditions.Any(c => c.Type == "MasterAvailable" && c.Status == "True"), $"a master that can write to disk, {node.Name} its replica")).Status!;
            await writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(15));

            File.Delete(filler);
            var roomAgain = Stopwatch.StartNew();
            var after = (await cluster.WaitUntilAsync("disk", r => r.Status is { Phase: Phases.Ready } s && s.Conditions.Any(c => c.Type == "Persisting" && c.Status == "True"), "Ready again once the disk has room")).Status!;
            output.WriteLine($"Ready again {roomAgain.ElapsedMilliseconds} ms after the disk had room; {writer.Failures} writes refused meanwhile");
            Assert.Equal(movedOn.Master, after.Master);
            await writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(10));
            await writer.StopAsync();
            Assert.True(writer.Failures > 0, "no write was refused while the disk was full");
            Assert.Contains(after.Events, e => e.Reason == nameof(Core.Healing.RetrySnapshot));
            await SelfHealingTests.AssertOneMasterAndNothingLostAsync(cluster, "disk", after, writer);
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }

            if (mounted)
            {
                await Privileged.RunAsync("umount", "-l", data);
            }
        }
    }

    /// <summary>Writes zeros until the disk says it is full.</summary>
    private static void Fill(string path)
    {
        var block = new byte[64 * 1024];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }

    private static string Id(string which)
    {
        using var process = Process.Start(new ProcessStartInfo("id", which) { RedirectStandardOutput = true })!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text;
    }
}
