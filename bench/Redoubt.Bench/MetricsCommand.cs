using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Redoubt.Bench.Reporting;
using Redoubt.Metrics;
using Redoubt.Model;
using Redoubt.Platforms.Local;

namespace Redoubt.Bench;

/// <summary>
/// What metrics cost an idle control plane: N resources (replicas: 3) on one control plane without metrics, then the
/// same nodes adopted in turn by control planes without metrics and with them (a Prometheus registry fed by every pass,
/// scraped every 5 s as Prometheus would). Idle CPU of the control plane in windows of 20 s each way, and the scrape's
/// time and size.
/// </summary>
internal sealed class MetricsCommand(BenchOptions options, BenchHome home)
{
    private const int Rounds = 2;
    private const int Windows = 2;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BringUp = TimeSpan.FromMinutes(5);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var count = options.Resources;
        Console.WriteLine($"Metrics: {count} resources (replicas: 3) on one control plane, {Environment.ProcessorCount} cores; idle CPU in {Windows} windows of {Window.TotalSeconds:F0} s, without and with metrics");
        using var loggers = LoggerFactory.Create(b => b.AddProvider(home.Logger).SetMinimumLevel(LogLevel.Information));
        // Apart from the integration tests' networks (127.20-127.219, 127.230-127.249) and the scale bench's ports.
        var local = new LocalOptions { Home = home.For("metrics"), PortBase = 20000, SentinelPortBase = 21000, ZoneNetwork = "127.250" };
        var names = Enumerable.Range(1, count).Select(i => $"m{i.ToString("D2", CultureInfo.InvariantCulture)}").ToList();
        try
        {
            var first = await LocalControlPlane.StartAsync(local, loggers, cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var name in names)
                {
                    var applied = await first.ApplyAsync($"apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: {name}\nspec:\n  replicas: 3\n", name + ".yaml", cancellationToken).ConfigureAwait(false);
                    if (!applied.Succeeded)
                    {
                        throw new InvalidOperationException($"{name} was rejected: {string.Join("; ", applied.Errors)}");
                    }
                }

                await WaitReadyAsync(first, count, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // As after a crash: the nodes keep serving, and the next control plane adopts them.
                await first.StopAsync(stopNodes: false, CancellationToken.None).ConfigureAwait(false);
                await first.DisposeAsync().ConfigureAwait(false);
            }

            // Each mode in turn on a control plane that adopted the same nodes, so neither is measured right after a bring-up.
            var off = new List<double>();
            var on = new List<double>();
            var scrapes = new List<(double Ms, long Bytes, int Series)>();
            for (var round = 1; round <= Rounds; round++)
            {
                off.AddRange(await AdoptAndMeasureAsync(local, loggers, count, null, scrapes, cancellationToken).ConfigureAwait(false));
                var telemetry = new PrometheusTelemetry();
                on.AddRange(await AdoptAndMeasureAsync(local, loggers, count, telemetry, scrapes, cancellationToken).ConfigureAwait(false));
            }

            Console.WriteLine($"  control plane idle CPU, % of one core (median of {off.Count} windows of {Window.TotalSeconds:F0} s; each window):");
            Console.WriteLine($"    without metrics  median {Stats.Median(off),5:F2}%   [{string.Join(", ", off.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))}]");
            Console.WriteLine($"    with metrics     median {Stats.Median(on),5:F2}%   [{string.Join(", ", on.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))}]  scraped every {ScrapeInterval.TotalSeconds:F0} s");
            Console.WriteLine($"  a scrape: median {Stats.Median([.. scrapes.Select(s => s.Ms)]):F2} ms, max {Stats.Max([.. scrapes.Select(s => s.Ms)]):F2} ms over {scrapes.Count} scrapes; {scrapes.LastOrDefault().Bytes} bytes, {scrapes.LastOrDefault().Series} series");
            var last = await LocalControlPlane.StartAsync(local, loggers, cancellationToken).ConfigureAwait(false);
            await last.StopAsync(stopNodes: true, CancellationToken.None).ConfigureAwait(false);
            await last.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Clusters.Signals.KillEverythingUnder(local.Home);
        }

        return 0;
    }

    /// <summary>A control plane, with <paramref name="telemetry"/> or without, adopts the nodes; its idle CPU per window; then it stops, leaving them.</summary>
    private static async Task<List<double>> AdoptAndMeasureAsync(
        LocalOptions local, ILoggerFactory loggers, int count, PrometheusTelemetry? telemetry, List<(double Ms, long Bytes, int Series)> scrapes, CancellationToken cancellationToken)
    {
        var controlPlane = await LocalControlPlane.StartAsync(local, loggers, cancellationToken, telemetry).ConfigureAwait(false);
        try
        {
            await WaitReadyAsync(controlPlane, count, cancellationToken).ConfigureAwait(false);
            return await IdleCpuAsync(telemetry is null ? null : () => ScrapeAsync(telemetry, scrapes, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await controlPlane.StopAsync(stopNodes: false, CancellationToken.None).ConfigureAwait(false);
            await controlPlane.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task WaitReadyAsync(LocalControlPlane controlPlane, int count, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < BringUp)
        {
            var resources = await controlPlane.ListAsync(cancellationToken).ConfigureAwait(false);
            if (resources.Count(r => r.Status?.Phase == Phases.Ready) == count)
            {
                Console.WriteLine($"  {count} Ready after {clock.Elapsed.TotalSeconds:F1} s");
                // Let the passes that follow Ready settle into their steady period.
                await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
                return;
            }

            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"not every resource was Ready within {BringUp.TotalMinutes:F0} min");
    }

    /// <summary>This process's CPU (the control plane; nothing else of the bench runs) per window, while <paramref name="scraper"/> runs.</summary>
    private static async Task<List<double>> IdleCpuAsync(Func<Task>? scraper, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scraping = scraper is null ? Task.CompletedTask : Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await scraper().ConfigureAwait(false);
                try
                {
                    await Task.Delay(ScrapeInterval, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, CancellationToken.None);

        var windows = new List<double>();
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i < Windows; i++)
        {
            self.Refresh();
            var before = self.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await Task.Delay(Window, cancellationToken).ConfigureAwait(false);
            self.Refresh();
            windows.Add((self.TotalProcessorTime - before).TotalSeconds / clock.Elapsed.TotalSeconds * 100);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await scraping.ConfigureAwait(false);
        return windows;
    }

    private static async Task ScrapeAsync(PrometheusTelemetry telemetry, List<(double Ms, long Bytes, int Series)> scrapes, CancellationToken cancellationToken)
    {
        using var sink = new MemoryStream();
        var clock = Stopwatch.StartNew();
        await telemetry.Registry.CollectAndExportAsTextAsync(sink, cancellationToken).ConfigureAwait(false);
        var took = clock.Elapsed.TotalMilliseconds;
        var series = System.Text.Encoding.UTF8.GetString(sink.ToArray()).Split('\n').Count(l => l.StartsWith("redoubt_", StringComparison.Ordinal));
        scrapes.Add((took, sink.Length, series));
    }
}
