using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Redoubt.Bench.Clusters;

namespace Redoubt.Bench;

/// <summary>
/// How long a new resource takes from apply to phase Ready (replicas: 2 and 3, five runs each), and, in the same
/// run, how long plain redis-server ×3 + redis-sentinel ×3 take from start to healthy.
/// </summary>
internal sealed class ReadyCommand(BenchHome home)
{
    private const int Runs = 5;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddProvider(home.Logger).SetMinimumLevel(LogLevel.Information));
        var results = new List<(string Setup, List<double> Ms)>();
        foreach (var replicas in new[] { 2, 3 })
        {
            var times = new List<double>();
            for (var run = 1; run <= Runs; run++)
            {
                var cluster = new RedoubtCluster(home.For($"ready-{replicas}-{run}"), loggers, replicas);
                await using (cluster.ConfigureAwait(false))
                {
                    var clock = Stopwatch.StartNew();
                    await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
                    times.Add(clock.Elapsed.TotalMilliseconds);
                    Console.WriteLine($"  Redoubt replicas: {replicas}  #{run}  apply to Ready {clock.Elapsed.TotalMilliseconds,6:F0} ms");
                }
            }

            results.Add(($"Redoubt replicas: {replicas} (apply to phase Ready)", times));
        }

        var baseline = new List<double>();
        for (var run = 1; run <= Runs; run++)
        {
            var cluster = new BaselineCluster(home.For($"ready-baseline-{run}"));
            await using (cluster.ConfigureAwait(false))
            {
                var clock = Stopwatch.StartNew();
                await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
                await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
                baseline.Add(clock.Elapsed.TotalMilliseconds);
                Console.WriteLine($"  baseline 3 + 3 Sentinels  #{run}  start to healthy {clock.Elapsed.TotalMilliseconds,6:F0} ms");
            }
        }

        results.Add(("baseline redis ×3 + sentinel ×3 (start to healthy)", baseline));
        Console.WriteLine();
        foreach (var (setup, ms) in results)
        {
            var sorted = ms.Order().ToList();
            Console.WriteLine($"  {setup,-52} median {sorted[sorted.Count / 2],6:F0} ms  min {sorted[0],6:F0} ms  max {sorted[^1],6:F0} ms");
        }

        return 0;
    }
}
