using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Redoubt.Bench.Clusters;
using Redoubt.Bench.Reporting;
using Redoubt.Bench.Scenarios;
using Redoubt.Bench.Storm;
using Redoubt.Model;
using Redoubt.Platforms.Local;

namespace Redoubt.Bench;

/// <summary>
/// The storm: randomized faults on two resources at once, each under a writer that finds the master through the
/// Sentinels, while a third resource carries a steady pipelined load. Each resource has its own control plane, home,
/// loopback network and ports, so a control-plane crash on one is one fault on one resource.
/// </summary>
internal sealed class StormCommand(BenchOptions options, BenchHome home)
{
    /// <summary>Sized for ~200 faults (about 7 s each, two resources in parallel) with room for slow ones.</summary>
    private static readonly TimeSpan StormLimit = TimeSpan.FromMinutes(40);

    // Networks and ports apart from the failover bench (127.200/201, 40000+/41000+), the integration tests
    // (127.20-127.219, 16000-19999 and 26000-29999) and the ephemeral range (32768+).
    private static readonly Placement[] Placements =
    [
        new("127.230", 21000, 21100),
        new("127.231", 21200, 21300),
        new("127.232", 21400, 21500),
    ];

    /// <summary>With partitions, the faulted resources' zones are namespaces on these networks, inside the storm's own namespace.</summary>
    private static readonly string[] ZoneNetworks = ["10.230", "10.231"];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var evidence = Path.Combine(Path.GetTempPath(), $"redoubt-storm-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        Console.WriteLine($"Storm: {options.Faults} faults over two resources (replicas: 3, default spec), seed {options.Seed}, {Environment.ProcessorCount} cores, limit {StormLimit.TotalMinutes:F0} min");
        var kinds = options.Kinds.Order().SequenceEqual(FaultKinds.Default) ? "" : $" --kinds {string.Join(',', options.Kinds.Select(k => k.Name()))}";
        Console.WriteLine($"  repeat with: dotnet run -c Release --project bench/Redoubt.Bench -- storm --faults {options.Faults} --seed {options.Seed}{kinds}");
        if (options.InsideNamespace is null)
        {
            Console.WriteLine("  zone partitions: NOT RUN (add --partitions, as root: the storm then runs inside a network namespace of its own, where the zones'");
            Console.WriteLine("  uplink address and route go, since the bench adds nothing to the host's addresses, routes or firewall)");
        }
        else
        {
            Console.WriteLine($"  zone partitions: resources a and b have their zones in network namespaces ({ZoneNetworks[0]}.0.x, {ZoneNetworks[1]}.0.x) joined by a bridge,");
            Console.WriteLine($"  reached from the namespace {options.InsideNamespace} the whole storm runs in; a partition takes a zone's switch port down for 2-6 s");
        }

        var providers = new List<FileLoggerProvider>();
        var factories = new List<ILoggerFactory>();
        var clusters = new List<RedoubtCluster>();
        var zones = new List<ZoneNamespaceNetwork>();
        try
        {
            var names = new[] { "a", "b", "load" };
            for (var i = 0; i < names.Length; i++)
            {
                var placement = Placements[i];
                if (options.InsideNamespace is { } inside && i < ZoneNetworks.Length)
                {
                    var network = new ZoneNamespaceNetwork($"{inside}-{names[i]}", $"rb{names[i]}", ZoneNetworks[i], SpecDefaults.DefaultZones.Count, StormNamespace.IpAsync);
                    zones.Add(network);
                    await network.CreateAsync(options.HostNamespace!).ConfigureAwait(false);
                    placement = new Placement(network.Network, placement.PortBase, placement.SentinelPortBase) { ZoneNamespaces = network.Namespaces };
                }

                var provider = new FileLoggerProvider(home.For($"storm-{names[i]}") + ".log");
                providers.Add(provider);
                var factory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Information));
                factories.Add(factory);
                var cluster = new RedoubtCluster(home.For($"storm-{names[i]}"), factory, 3, placement);
                clusters.Add(cluster);
                var started = Stopwatch.StartNew();
                await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"  resource {names[i],-4} Ready after {started.Elapsed.TotalSeconds:F1} s; Sentinels {string.Join(", ", cluster.Sentinels)}; control-plane log {provider.Path}");
            }

            return await StormAsync(clusters, zones, providers, evidence, clock, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var cluster in clusters)
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
            }

            // After the nodes: a namespace still holding a process would outlive its name.
            foreach (var network in zones)
            {
                await network.RemoveAsync().ConfigureAwait(false);
            }

            foreach (var factory in factories)
            {
                factory.Dispose();
            }

            foreach (var provider in providers)
            {
                provider.Dispose();
            }
        }
    }

    private async Task<int> StormAsync(List<RedoubtCluster> clusters, List<ZoneNamespaceNetwork> zones, List<FileLoggerProvider> logs, string evidence, Stopwatch clock, CancellationToken cancellationToken)
    {
        var report = new StormReport();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(StormLimit);
        var load = new BackgroundLoad(clusters[2]);
        var resources = new List<StormResource>
        {
            new("a", clusters[0], zones.ElementAtOrDefault(0), new Random(options.Seed), options.Kinds, report.Add),
            new("b", clusters[1], zones.ElementAtOrDefault(1), new Random(unchecked((options.Seed * 31) + 1)), options.Kinds, report.Add),
        };
        await using (load.ConfigureAwait(false))
        {
            load.Start(StormLimit + TimeSpan.FromMinutes(2));
            foreach (var resource in resources)
            {
                resource.StartWriter(StormLimit + TimeSpan.FromMinutes(2));
            }

            Console.WriteLine($"  writers: one SET seq:N per 4 ms on a and b through their Sentinels; load: pipelined SETs (64 every 10 ms) on the third resource");
            Console.WriteLine();
            var shares = new[] { (options.Faults + 1) / 2, options.Faults / 2 };
            var loops = resources.Select((r, i) => RunLoopAsync(r, shares[i], limit.Token, cancellationToken)).ToList();
            await Task.WhenAll(loops).ConfigureAwait(false);
            var stormTime = clock.Elapsed;

            foreach (var resource in resources)
            {
                await resource.StopWriterAsync().ConfigureAwait(false);
            }

            var loadOps = load.Acknowledged;
            var loadTime = load.Elapsed;
            await load.DisposeAsync().ConfigureAwait(false);

            report.PrintTable(Console.Out);
            Console.WriteLine();
            var failed = false;
            foreach (var resource in resources)
            {
                failed |= await VerifyAsync(resource, report, cancellationToken).ConfigureAwait(false);
            }

            Console.WriteLine($"  load on the third resource: {loadOps:N0} SETs acknowledged in {loadTime.TotalMinutes:F1} min ({loadOps / Math.Max(1, loadTime.TotalSeconds) / 1000:F1}k/s), {load.Failures} failed batches");
            Console.WriteLine($"  storm took {stormTime.TotalMinutes:F1} min for {report.Records.Count} faults");

            var outliers = report.Outliers();
            Console.WriteLine();
            Console.WriteLine($"Outliers ({outliers.Count}: gap above twice the median of its type and at least {StormReport.OutlierFloorMs:F0} ms above it; or not healed, a flip-back, a false failover, an unexpected restart); evidence under {evidence}");
            foreach (var outlier in outliers)
            {
                var index = resources.FindIndex(r => r.Name == outlier.Resource);
                try
                {
                    var line = OutlierEvidence.Keep(outlier, clusters[index], logs[index].Path, Path.Combine(evidence, outlier.Id), StormReport.MedianOf(report.Records, outlier.Kind));
                    Console.WriteLine($"  {line}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The figures above stand without the evidence; say why it is missing.
                    Console.WriteLine($"  {outlier.Id}: gap {outlier.GapMs:F0} ms; its evidence could not be kept: {e.Message}");
                }
            }

            return failed || report.Records.Any(r => r.Failure is not null) ? 1 : 0;
        }
    }

    private static async Task RunLoopAsync(StormResource resource, int faults, CancellationToken limit, CancellationToken outer)
    {
        try
        {
            await resource.RunAsync(faults, limit).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !outer.IsCancellationRequested)
        {
            Console.WriteLine($"  resource {resource.Name}: the storm's {StormLimit.TotalMinutes:F0}-minute limit stopped it");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            Console.WriteLine($"  resource {resource.Name}: the storm stopped on it: {e.Message}");
        }
    }

    /// <summary>Every write the writer had acknowledged, read back from the final master; returns true on a problem.</summary>
    private static async Task<bool> VerifyAsync(StormResource resource, StormReport report, CancellationToken cancellationToken)
    {
        var own = report.Records.Where(r => r.Resource == resource.Name).ToList();
        if (resource.Stopped is not null)
        {
            Console.WriteLine($"  resource {resource.Name}: STOPPED EARLY {resource.Stopped}");
        }

        try
        {
            var master = await resource.Cluster.WaitHealthyAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            var acknowledged = resource.Log.Sequences();
            var lost = await Keys.MissingAsync(master, resource.Cluster.Password, acknowledged, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"  resource {resource.Name}: {own.Count} faults, {acknowledged.Count:N0} acknowledged writes, {lost} missing on the final master {master} "
                + $"(per-fault checks found {own.Sum(r => r.Lost)}); {resource.WriterFailures:N0} failed write attempts");
            return lost > 0 || resource.Stopped is not null;
        }
        catch (TimeoutException e)
        {
            Console.WriteLine($"  resource {resource.Name}: the final check could not run: {e.Message}");
            return true;
        }
    }
}
