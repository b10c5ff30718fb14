using System.Diagnostics;
using Redoubt.Bench.Clusters;
using Redoubt.Bench.Writers;

namespace Redoubt.Bench.Scenarios;

/// <summary>
/// The events measured on a setup, each the same way: wait until fully healthy, start a writer, let it run, fault,
/// wait until healthy again, then compare every acknowledged write with the final master and empty the dataset.
/// </summary>
internal sealed class FaultScenarios(BenchCluster cluster, Action<EventResult> report)
{
    private static readonly TimeSpan Healthy = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);
    private long _nextSequence = 1;

    /// <summary>A writer starting at the given sequence number.</summary>
    public delegate ISequenceWriter WriterFactory(long firstSequence);

    public WriterFactory RawWriter => first => new RawSentinelWriter(cluster.Sentinels, BenchCluster.MasterName, cluster.Password, first);

    /// <summary>kill -9 of the master.</summary>
    public Task<EventResult> KillMasterAsync(string label, int run, WriterFactory writer, Func<Task<double?>>? serverFigure, CancellationToken cancellationToken) =>
        RunAsync(label, run, writer, async (master, pid, fault) =>
        {
            Signals.Send(pid, Signals.Kill);
            cluster.OnNodeKilled(master, cancellationToken);
            await Task.CompletedTask.ConfigureAwait(false);
        }, serverFigure, cancellationToken);

    /// <summary>SIGSTOP of the master; SIGCONT once the Sentinels name a new master and the writer has written to it.</summary>
    public Task<EventResult> FreezeMasterAsync(string label, int run, WriterFactory writer, Func<Task<double?>>? serverFigure, CancellationToken cancellationToken) =>
        RunAsync(label, run, writer, async (master, pid, fault) =>
        {
            Signals.Send(pid, Signals.Stop);
            try
            {
                var clock = Stopwatch.StartNew();
                while (await cluster.Probe.MasterAsync(cancellationToken).ConfigureAwait(false) is not { } named || named == master)
                {
                    if (clock.Elapsed > Recovery)
                    {
                        throw new TimeoutException($"{cluster.Name}: the Sentinels still name the frozen master after {Recovery.TotalSeconds:F0} s");
                    }

                    await Task.Delay(10, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                Signals.TrySend(pid, Signals.Continue);
            }
        }, serverFigure, cancellationToken, continueAfterFirstAck: true);

    /// <summary>Any action on the live master (a planned switchover): the fault time is when it starts.</summary>
    public Task<EventResult> ActAsync(string label, int run, WriterFactory writer, Func<Task<double?>> action, CancellationToken cancellationToken)
    {
        double? figure = null;
        return RunAsync(label, run, writer, async (_, _, _) => figure = await action().ConfigureAwait(false), () => Task.FromResult(figure), cancellationToken);
    }

    private async Task<EventResult> RunAsync(string label, int run, WriterFactory createWriter, Func<string, int, long, Task> fault, Func<Task<double?>>? serverFigure, CancellationToken cancellationToken, bool continueAfterFirstAck = false)
    {
        var master = await cluster.WaitHealthyAsync(Healthy, cancellationToken).ConfigureAwait(false);
        var pid = await cluster.PidOfAsync(master, cancellationToken).ConfigureAwait(false);
        var writer = createWriter(_nextSequence);
        await using (writer.ConfigureAwait(false))
        {
            writer.Start();
            if (!await writer.Log.WaitForMoreAsync(1000, TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false))
            {
                throw new TimeoutException($"{cluster.Name}: the writer got fewer than 1000 writes acknowledged in 20 s before the fault ({writer.Failures} failures)");
            }

            await Task.Delay(300, cancellationToken).ConfigureAwait(false);
            var faultAt = Stopwatch.GetTimestamp();
            var faultTask = fault(master, pid, faultAt);
            if (!continueAfterFirstAck)
            {
                await faultTask.ConfigureAwait(false);
            }

            if (!await writer.Log.WaitForAckAfterAsync(faultAt, Recovery, cancellationToken).ConfigureAwait(false))
            {
                await faultTask.ConfigureAwait(false);
                throw new TimeoutException($"{cluster.Name} {label}: no write was acknowledged within {Recovery.TotalSeconds:F0} s of the fault ({writer.Failures} failures)");
            }

            await faultTask.ConfigureAwait(false);
            var final = await cluster.WaitHealthyAsync(Healthy, cancellationToken).ConfigureAwait(false);
            await writer.Log.WaitForMoreAsync(500, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            await writer.StopAsync().ConfigureAwait(false);
            _nextSequence += writer.Log.Count + writer.Failures + 1;

            // The master may have moved again while the writer finished; the probe names the final one.
            final = await cluster.WaitHealthyAsync(Healthy, cancellationToken).ConfigureAwait(false);
            var acknowledged = writer.Log.Sequences();
            var lost = await Keys.MissingAsync(final, cluster.Password, acknowledged, cancellationToken).ConfigureAwait(false);
            var figure = serverFigure is null ? null : await serverFigure().ConfigureAwait(false);
            var result = new EventResult(cluster.Name, label, run, writer.Log.GapAfterMs(faultAt), lost, acknowledged.Count, figure,
                $"{master} -> {final}, {writer.Failures} failed attempts{AcknowledgedBy(writer.Log, faultAt)}");
            await Keys.FlushAsync(final, cluster.Password, cancellationToken).ConfigureAwait(false);
            report(result);
            return result;
        }
    }

    private static string AcknowledgedBy(AckLog log, long since)
    {
        var nodes = log.NodesAfter(since);
        return nodes.Count == 0 ? "" : "; acknowledged after the fault by " + string.Join(", then ", nodes.Select(n => $"{n.Node} ×{n.Count}"));
    }
}
