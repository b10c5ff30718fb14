using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Redoubt.Bench.Clusters;
using Redoubt.Bench.Reporting;
using Redoubt.Bench.Scenarios;
using Redoubt.Model;
using Redoubt.Platforms.Local;

namespace Redoubt.Bench;

/// <summary>
/// The control plane's footprint: N resources (replicas: 3, default spec, so 6 processes each) on one in-process
/// control plane; time until all are Ready, its idle CPU and RSS, and the write gap of a kill -9 of one resource's
/// master while the others idle, next to the same figure for a resource alone on its own control plane, in the same run.
/// </summary>
internal sealed class ScaleCommand(BenchOptions options, BenchHome home)
{
    private const int Kills = 3;
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan BringUp = TimeSpan.FromMinutes(10);

    // Networks and ports apart from the other benches, the integration tests (127.20-127.219, 16000-19999,
    // 26000-29999) and the ephemeral range (32768+): every zone address carries one Redis and one Sentinel port per resource.
    private static readonly Placement Many = new("127.240", 22000, 24000);
    private static readonly Placement Alone = new("127.241", 25000, 25100);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var (soft, hard) = OpenFileLimit();
        Console.WriteLine($"Scale: {options.Resources} resources (replicas: 3, default spec: {options.Resources * 6} Redis and Sentinel processes) on one control plane; {Environment.ProcessorCount} cores, {RedisVersion()}");
        Console.WriteLine($"  limits: open files {soft} (hard {hard}) for this process; {Many.ZoneNetwork}.0.1-3 ports {Many.PortBase}+ and {Many.SentinelPortBase}+ ({options.Resources} of each per zone address, 2000 available)");
        using var loggers = LoggerFactory.Create(b => b.AddProvider(home.Logger).SetMinimumLevel(LogLevel.Information));

        var alone = await KillGapsAloneAsync(loggers, cancellationToken).ConfigureAwait(false);
        var local = new LocalOptions { Home = home.For("scale"), PortBase = Many.PortBase, SentinelPortBase = Many.SentinelPortBase, ZoneNetwork = Many.ZoneNetwork };
        var controlPlane = await LocalControlPlane.StartAsync(local, loggers, cancellationToken).ConfigureAwait(false);
        try
        {
            return await MeasureManyAsync(controlPlane, alone, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var stopping = Stopwatch.StartNew();
            try
            {
                await controlPlane.StopAsync(stopNodes: true, limit.Token).ConfigureAwait(false);
            }
            finally
            {
                await controlPlane.DisposeAsync().ConfigureAwait(false);
                Signals.KillEverythingUnder(local.Home);
            }

            Console.WriteLine($"  stopped {options.Resources} resources in {stopping.Elapsed.TotalSeconds:F1} s");
        }
    }

    /// <summary>The reference figure: the same kills on a resource alone on its own control plane, measured first.</summary>
    private async Task<List<double>> KillGapsAloneAsync(ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var cluster = new RedoubtCluster(home.For("scale-alone"), loggers, 3, Alone);
        await using (cluster.ConfigureAwait(false))
        {
            await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine("  one resource alone on its own control plane (measured first, so nothing else runs meanwhile):");
            return await KillGapsAsync(cluster, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> MeasureManyAsync(LocalControlPlane controlPlane, List<double> alone, CancellationToken cancellationToken)
    {
        var names = Enumerable.Range(1, options.Resources).Select(i => $"s{i.ToString("D2", CultureInfo.InvariantCulture)}").ToList();
        var clock = Stopwatch.StartNew();
        foreach (var name in names)
        {
            var applied = await controlPlane.ApplyAsync($"""
                apiVersion: apps.cozystack.io/v1alpha1
                kind: Redis
                metadata:
                  name: {name}
                spec:
                  replicas: 3
                """, name + ".yaml", cancellationToken).ConfigureAwait(false);
            if (!applied.Succeeded)
            {
                Console.WriteLine($"  {name} was rejected: {string.Join("; ", applied.Errors)}");
                break;
            }
        }

        var applyTook = clock.Elapsed;
        IReadOnlyList<RedisResource> resources = [];
        var readyCount = 0;
        var lastPrinted = 0;
        while (clock.Elapsed < BringUp)
        {
            resources = await controlPlane.ListAsync(cancellationToken).ConfigureAwait(false);
            readyCount = resources.Count(r => r.Status?.Phase == Phases.Ready);
            if (readyCount == names.Count)
            {
                break;
            }

            if (readyCount >= lastPrinted + 10)
            {
                lastPrinted = readyCount - (readyCount % 10);
                Console.WriteLine($"  {readyCount} of {names.Count} Ready after {clock.Elapsed.TotalSeconds:F1} s");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        Console.WriteLine($"  applied {names.Count} resources in {applyTook.TotalSeconds:F1} s; {readyCount} of {names.Count} Ready after {clock.Elapsed.TotalSeconds:F1} s");
        if (readyCount < names.Count)
        {
            foreach (var r in resources.Where(r => r.Status?.Phase != Phases.Ready).Take(10))
            {
                Console.WriteLine($"    {r.Metadata.Name}: phase {r.Status?.Phase}; {string.Join("; ", (r.Status?.Conditions ?? []).Where(c => c.Status != "True").Select(c => $"{c.Type} {c.Reason}: {c.Message}"))}");
            }

            Console.WriteLine($"  NOT ALL READY within {BringUp.TotalMinutes:F0} min: the figures below are for {readyCount} Ready resources");
        }

        var processes = resources.SelectMany(r => (r.Status?.Nodes.Select(n => n.Pid) ?? []).Concat(r.Status?.SentinelNodes.Select(n => n.Pid) ?? [])).OfType<int>().ToList();
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        var idle = await IdleAsync(processes, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"  idle over {IdleWindow.TotalSeconds:F0} s with {readyCount} resources: control plane {idle.ControlPlaneCpu:F1}% of one core, RSS {idle.RssMb:F0} MB, {idle.Threads} threads, {idle.Fds} open files;"
            + $" the {processes.Count} Redis and Sentinel processes together {idle.NodesCpu:F1}% of one core");

        var target = names[names.Count / 2];
        var hosted = new HostedResource(controlPlane, target);
        await hosted.StartAsync(cancellationToken).ConfigureAwait(false);
        var many = await KillGapsAsync(hosted, cancellationToken).ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine($"  kill -9 of the master, write gap (raw Sentinel-guided writer, {Kills} kills each):");
        Console.WriteLine($"    {$"{target} among {readyCount} resources on one control plane",-48} median {Stats.Median(many),6:F0} ms  max {Stats.Max(many),6:F0} ms");
        Console.WriteLine($"    {"one resource alone on its control plane",-48} median {Stats.Median(alone),6:F0} ms  max {Stats.Max(alone),6:F0} ms  (ratio {Stats.Median(many) / Stats.Median(alone):F2})");
        return readyCount == names.Count ? 0 : 1;
    }

    private static async Task<List<double>> KillGapsAsync(BenchCluster cluster, CancellationToken cancellationToken)
    {
        var results = new List<EventResult>();
        var scenarios = new FaultScenarios(cluster, r =>
        {
            results.Add(r);
            Console.WriteLine($"    {r.Setup} kill -9 #{r.Run}: gap {r.GapMs:F0} ms, lost {r.Lost} of {r.Acknowledged}; {r.Note}");
        });
        for (var i = 1; i <= Kills; i++)
        {
            await scenarios.KillMasterAsync(Summary.Kill, i, scenarios.RawWriter, null, cancellationToken).ConfigureAwait(false);
        }

        return [.. results.Select(r => r.GapMs)];
    }

    private sealed record Idle(double ControlPlaneCpu, double NodesCpu, double RssMb, int Threads, int Fds);

    /// <summary>CPU of this process (the control plane; nothing else of the bench runs meanwhile) and of the nodes, as % of one core.</summary>
    private static async Task<Idle> IdleAsync(List<int> nodes, CancellationToken cancellationToken)
    {
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var nodesBefore = nodes.Sum(CpuTicks);
        var clock = Stopwatch.StartNew();
        await Task.Delay(IdleWindow, cancellationToken).ConfigureAwait(false);
        self.Refresh();
        var elapsed = clock.Elapsed;
        var nodesAfter = nodes.Sum(CpuTicks);
        // /proc/PID/stat counts clock ticks, 100 per second on Linux.
        var nodesCpu = (nodesAfter - nodesBefore) / 100.0 / elapsed.TotalSeconds * 100;
        var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds / elapsed.TotalSeconds * 100;
        var status = File.ReadAllLines("/proc/self/status");
        var rssKb = long.Parse(status.First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return new Idle(cpu, nodesCpu, rssKb / 1024.0, self.Threads.Count, Directory.EnumerateFileSystemEntries("/proc/self/fd").Count());
    }

    private static long CpuTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime are fields 14 and 15 of stat; the split starts at field 3.
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static (string Soft, string Hard) OpenFileLimit()
    {
        var line = File.ReadAllLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var parts = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return parts.Length >= 2 ? (parts[0], parts[1]) : ("?", "?");
    }

    private static string RedisVersion()
    {
        using var process = Process.Start(new ProcessStartInfo("redis-server", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
        var output = process?.StandardOutput.ReadToEnd() ?? "";
        process?.WaitForExit(5000);
        var at = output.IndexOf("v=", StringComparison.Ordinal);
        return at < 0 ? "Redis (version unknown)" : "Redis " + output[(at + 2)..].Split(' ')[0];
    }
}
