using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Redoubt.Bench.Clusters;

namespace Redoubt.Bench;

/// <summary>How long a new resource takes from apply to Ready, and to healthy as the probe judges it.</summary>
internal sealed class ReadyCommand(BenchHome home)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddProvider(home.Logger).SetMinimumLevel(LogLevel.Information));
        var cluster = new RedoubtCluster(home.For("redoubt"), loggers);
        await using (cluster.ConfigureAwait(false))
        {
            var clock = Stopwatch.StartNew();
            await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
            var ready = clock.Elapsed;
            await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Redoubt replicas: 3: apply to phase Ready {ready.TotalMilliseconds:F0} ms, to healthy (probe) {clock.Elapsed.TotalMilliseconds:F0} ms");
        }

        return 0;
    }
}
