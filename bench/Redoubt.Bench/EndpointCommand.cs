using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Redoubt.Bench.Clusters;
using Redoubt.Core.Platform;

namespace Redoubt.Bench;

/// <summary>
/// Throughput through the local master endpoint against the same master at its own address (the baseline, in the same
/// run): redis-benchmark, pipelined SET and GET, the two targets alternating run after run so that the machine's noise
/// falls on both alike. The endpoint is the master process itself listening on one more address, so the ratio should
/// be 1 within the noise; a TCP proxy in between was measured at about 0.55 here.
/// </summary>
internal sealed class EndpointCommand(BenchOptions options, BenchHome home)
{
    private const int Requests = 200_000;
    private const int Pipeline = 16;
    private const int Clients = 50;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddProvider(home.Logger).SetMinimumLevel(LogLevel.Information));
        var cluster = new RedoubtCluster(home.For("endpoint"), loggers, replicas: 2, placement: new Placement("127.205", 45000, 45100),
            // redis-benchmark takes a password only on its command line, where every user of the machine could read it.
            extraSpec: "  authEnabled: false");
        await using (cluster.ConfigureAwait(false))
        {
            await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
            var status = await cluster.StatusAsync(cancellationToken).ConfigureAwait(false);
            var endpoint = status.Endpoint ?? throw new InvalidOperationException("the resource reports no master endpoint");
            var master = status.Master ?? throw new InvalidOperationException("the resource reports no master");
            var runs = Math.Max(options.Runs, 3);
            Console.WriteLine($"  redis-benchmark -t set,get -n {Requests:N0} -P {Pipeline} -c {Clients}, {runs} run(s) per target, alternating; master {master}, endpoint {endpoint}; {Environment.ProcessorCount} cores");
            var results = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            for (var run = 0; run < runs; run++)
            {
                foreach (var (label, address) in new[] { ("master's own address (baseline)", master), ("master endpoint", endpoint) })
                {
                    foreach (var (test, rps) in await BenchmarkAsync(address, cancellationToken).ConfigureAwait(false))
                    {
                        var key = $"{test,-4} {label}";
                        (results.TryGetValue(key, out var list) ? list : results[key] = []).Add(rps);
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine($"  {"requests per second",-40} {"median",12} {"runs",40}");
            foreach (var (key, values) in results.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {key,-40} {Median(values),12:N0} {string.Join(" ", values.Select(v => v.ToString("N0", CultureInfo.InvariantCulture))),40}");
            }

            foreach (var test in new[] { "SET", "GET" })
            {
                var ratio = Median(results[$"{test,-4} master endpoint"]) / Median(results[$"{test,-4} master's own address (baseline)"]);
                Console.WriteLine($"  {test}: endpoint / master's own address = {ratio:F2} (target >= 0.95)");
            }

            return 0;
        }
    }

    /// <summary>One redis-benchmark run (the resource has no password: see the spec above).</summary>
    private static async Task<List<(string Test, double Rps)>> BenchmarkAsync(string address, CancellationToken cancellationToken)
    {
        var (host, port) = Endpoints.Parse(address);
        var start = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "set,get", "-n", Requests.ToString(CultureInfo.InvariantCulture), "-P", Pipeline.ToString(CultureInfo.InvariantCulture), "-c", Clients.ToString(CultureInfo.InvariantCulture), "-q", "--csv" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start (install redis-tools)");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-benchmark against {address} exited with {process.ExitCode}: {errors.Trim()}");
        }

        // --csv: "test","rps",... per line, after a header line.
        var results = new List<(string, double)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(',').Select(f => f.Trim().Trim('"')).ToArray();
            if (fields.Length >= 2 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rps))
            {
                results.Add((fields[0], rps));
            }
        }

        return results.Count == 2 ? results : throw new InvalidOperationException($"redis-benchmark against {address} printed no SET and GET figures: {output.Trim()}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
