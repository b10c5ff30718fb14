using System.Diagnostics;
using System.Globalization;
using Redoubt.Bench.Clusters;
using Redoubt.Bench.Resp;
using Redoubt.Bench.Writers;

namespace Redoubt.Bench.Scenarios;

/// <summary>What a saturating load did to a setup: it must not be mistaken for a dead master.</summary>
internal sealed record SaturationResult(string Setup, TimeSpan Duration, int MasterChanges, int MasterSdown, int MasterOdown, double OpsPerSecond, double WriterMaxGapMs, int Lost, int Acknowledged, IReadOnlyList<string> Events);

/// <summary>
/// redis-benchmark (SET, 50 clients, pipeline 16) against the master plus the sequence writer, for a fixed time,
/// while every Sentinel's announcements about the master are counted.
/// </summary>
internal static class SaturationScenario
{
    public static async Task<SaturationResult> RunAsync(BenchCluster cluster, TimeSpan duration, CancellationToken cancellationToken)
    {
        var master = await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(90), cancellationToken).ConfigureAwait(false);
        await using var monitor = new SentinelEventMonitor(cluster.Sentinels, cluster.Password);
        await monitor.StartAsync(cancellationToken).ConfigureAwait(false);
        await using var writer = new RawSentinelWriter(cluster.Sentinels, BenchCluster.MasterName, cluster.Password, 1);
        writer.Start();
        var before = await Keys.CommandsProcessedAsync(master, cluster.Password, cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var (host, port) = RespConnection.Split(master);
        // redis-benchmark reads its password only from the command line; this is a throw-away bench cluster on loopback.
        var start = new ProcessStartInfo("redis-benchmark")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-a", cluster.Password ?? "", "-t", "set", "-c", "50", "-P", "16", "-n", "2000000000", "-q" },
        };
        if (cluster is RedoubtCluster { Credentials.CertificateAuthorityFile: { } authority })
        {
            // The load speaks TLS too, or a TLS-only master refuses it.
            start.ArgumentList.Add("--tls");
            start.ArgumentList.Add("--cacert");
            start.ArgumentList.Add(authority);
        }

        using var load = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-benchmark");
        var complaints = new List<string>();
        load.OutputDataReceived += (_, _) => { };
        load.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && !line.Contains("-a", StringComparison.Ordinal))
            {
                lock (complaints)
                {
                    complaints.Add(line);
                }
            }
        };
        load.BeginOutputReadLine();
        load.BeginErrorReadLine();
        try
        {
            await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
            if (load.HasExited)
            {
                lock (complaints)
                {
                    throw new InvalidOperationException($"redis-benchmark stopped before the end of the load (exit code {load.ExitCode}): {string.Join(" ", complaints.Take(5))}");
                }
            }
        }
        finally
        {
            if (!load.HasExited)
            {
                load.Kill();
            }

            await load.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await writer.StopAsync().ConfigureAwait(false);
        var final = await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(90), cancellationToken).ConfigureAwait(false);
        var after = await Keys.CommandsProcessedAsync(final, cluster.Password, cancellationToken).ConfigureAwait(false);
        var acknowledged = writer.Log.Sequences();
        var lost = await Keys.MissingAsync(final, cluster.Password, acknowledged, cancellationToken).ConfigureAwait(false);
        await Keys.FlushAsync(final, cluster.Password, cancellationToken).ConfigureAwait(false);
        var events = monitor.Events;
        var changes = events.Where(e => e.StartsWith("+switch-master ", StringComparison.Ordinal)).Select(e => e[..e.IndexOf(" (seen by", StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal).Count();
        return new SaturationResult(cluster.Name, elapsed, Math.Max(changes, final == master ? 0 : 1), monitor.Count("+sdown"), monitor.Count("+odown"),
            final == master ? (after - before) / elapsed.TotalSeconds : double.NaN, writer.Log.GapAfterMs(started), lost, acknowledged.Count, events);
    }
}
