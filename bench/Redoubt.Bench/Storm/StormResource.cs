using System.Diagnostics;
using Redoubt.Bench.Clusters;
using Redoubt.Bench.Scenarios;
using Redoubt.Bench.Writers;
using Redoubt.Model;
using Redoubt.Platforms.Local;

namespace Redoubt.Bench.Storm;

/// <summary>
/// One faulted resource of the storm: its writer, and a loop that faults it, one fault at a time, each only once the
/// previous one has healed (Ready, every Sentinel and node healthy, and the writer writing again).
/// </summary>
/// <remarks>
/// <paramref name="zones"/>: the network the resource's zones are namespaces of, which partitions cut; null when the
/// storm runs without partitions.
/// </remarks>
internal sealed class StormResource(string name, RedoubtCluster cluster, ZoneNamespaceNetwork? zones, Random random, FaultKind[] kinds, Action<FaultRecord> report) : IAsyncDisposable
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WriterResumes = TimeSpan.FromSeconds(10);

    /// <summary>
    /// One write per 4 ms keeps a 40-minute run's keys (about 600,000) well inside the default spec's maxmemory (80% of
    /// 128 MiB) and costs little CPU on a shared 2-core machine; the gap resolution is a few milliseconds.
    /// </summary>
    private static readonly TimeSpan WriterPace = TimeSpan.FromMilliseconds(4);

    private RawSentinelWriter? _writer;
    private int _checkedUpTo;

    public string Name => name;

    public RedoubtCluster Cluster => cluster;

    public AckLog Log => (_writer ?? throw new InvalidOperationException("not started")).Log;

    public long WriterFailures => _writer?.Failures ?? 0;

    /// <summary>Why the loop stopped early (a fault that did not heal in time), or null.</summary>
    public string? Stopped { get; private set; }

    public void StartWriter(TimeSpan longest)
    {
        _writer = new RawSentinelWriter(cluster.Sentinels, BenchCluster.MasterName, cluster.Password, 1, longest, WriterPace);
        _writer.Start();
    }

    public Task StopWriterAsync() => _writer?.StopAsync() ?? Task.CompletedTask;

    /// <summary>
    /// The fault plan is drawn from the resource's own seeded Random before each fault and never depends on timing, so the
    /// same seed gives the same sequence of faults, targets and durations.
    /// </summary>
    public async Task RunAsync(int faults, CancellationToken cancellationToken)
    {
        for (var number = 1; number <= faults && !cancellationToken.IsCancellationRequested; number++)
        {
            var kind = kinds[random.Next(kinds.Length)];
            var frozenFor = TimeSpan.FromMilliseconds(random.Next(2000, 6001));
            var controlPlaneDown = TimeSpan.FromMilliseconds(random.Next(500, 3001));
            var pick = random.Next(1000);
            try
            {
                await cluster.WaitHealthyAsync(Recovery, cancellationToken).ConfigureAwait(false);
                if (!await Log.WaitForAckAfterAsync(Stopwatch.GetTimestamp(), WriterResumes, cancellationToken).ConfigureAwait(false))
                {
                    throw new TimeoutException($"the writer acknowledged nothing for {WriterResumes.TotalSeconds:F0} s while the resource was healthy");
                }
            }
            catch (TimeoutException e)
            {
                Stopped = $"before fault {number}: {e.Message}";
                return;
            }

            var record = await FaultAsync(number, kind, frozenFor, controlPlaneDown, pick, cancellationToken).ConfigureAwait(false);
            report(record);
            if (record.Failure is not null)
            {
                Stopped = $"fault {number} ({kind.Label()}): {record.Failure}";
                return;
            }
        }
    }

    private async Task<FaultRecord> FaultAsync(int number, FaultKind kind, TimeSpan frozenFor, TimeSpan controlPlaneDown, int pick, CancellationToken cancellationToken)
    {
        var before = await cluster.ResourceAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{name}: the control plane does not know the resource");
        var status = before.Status ?? new RedisStatus();
        var oldMaster = status.Master ?? "?";
        var (target, pid) = Target(kind, status, pick);

        // The watch starts a little before the fault, so every Sentinel's answer before it is on record.
        var watch = SentinelWatch.Start(cluster.Sentinels, BenchCluster.MasterName, cluster.Password);
        await using (watch.ConfigureAwait(false))
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            var faultWall = DateTimeOffset.UtcNow;
            var faultAt = Stopwatch.GetTimestamp();
            var timeline = new Timeline(faultAt);
            Task faultOver;
            switch (kind)
            {
                case FaultKind.MasterKill or FaultKind.ReplicaKill or FaultKind.SentinelKill:
                    Signals.Send(pid!.Value, Signals.Kill);
                    timeline.Add(faultAt, $"kill -9 {target} (pid {pid})");
                    faultOver = Task.CompletedTask;
                    break;
                case FaultKind.MasterStop or FaultKind.ReplicaStop:
                    Signals.Send(pid!.Value, Signals.Stop);
                    timeline.Add(faultAt, $"SIGSTOP {target} (pid {pid}) for {frozenFor.TotalSeconds:F1} s");
                    faultOver = ContinueLaterAsync(pid.Value, frozenFor, timeline);
                    break;
                case FaultKind.MasterPartition or FaultKind.ReplicaPartition:
                    var network = zones ?? throw new InvalidOperationException($"{name}: a partition was drawn but the resource's zones are not in namespaces");
                    var zone = ZoneIndex(status, target);
                    await network.PartitionAsync(zone).ConfigureAwait(false);
                    timeline.Add(faultAt, $"zone {target} cut off (its switch port down) for {frozenFor.TotalSeconds:F1} s");
                    faultOver = HealLaterAsync(network, zone, frozenFor, timeline);
                    break;
                default:
                    timeline.Add(faultAt, $"control plane crashed, down for {controlPlaneDown.TotalSeconds:F1} s");
                    faultOver = RestartControlPlaneAsync(controlPlaneDown, timeline, cancellationToken);
                    break;
            }

            var snapshots = new List<(double Ms, string Json)> { (-100, ResourceSerializer.ToJson(before)) };
            string? failure = null;
            (double? ReadyMs, string? Master) recovered = (null, null);
            try
            {
                recovered = await WaitRecoveredAsync(timeline, faultWall, status, target, pid, kind, faultOver, snapshots, cancellationToken).ConfigureAwait(false);
                await faultOver.WaitAsync(Recovery, cancellationToken).ConfigureAwait(false);
                if (recovered.ReadyMs is null)
                {
                    failure = $"not back to Ready within {Recovery.TotalSeconds:F0} s";
                }
                else if (!await Log.WaitForAckAfterAsync(Stopwatch.GetTimestamp(), WriterResumes, cancellationToken).ConfigureAwait(false))
                {
                    failure = $"Ready, but the writer acknowledged nothing within {WriterResumes.TotalSeconds:F0} s";
                }
            }
            catch (TimeoutException e)
            {
                failure = e.Message;
            }
            finally
            {
                if (kind is FaultKind.MasterStop or FaultKind.ReplicaStop)
                {
                    // Never leave a node frozen, whatever went wrong above.
                    Signals.TrySend(pid!.Value, Signals.Continue);
                }
            }

            var endAt = Stopwatch.GetTimestamp();
            var gap = Log.LongestGapBetween(faultAt, endAt);
            timeline.Add(gap.From, $"writer: last acknowledgement before the longest gap (by {Log.NodeAt(gap.From) ?? "-"})");
            timeline.Add(gap.To, $"writer: first acknowledgement after the longest gap (by {Log.NodeAt(gap.To) ?? "-"})");
            var newMaster = recovered.Master ?? await cluster.Probe.MasterAsync(cancellationToken).ConfigureAwait(false);
            var verdict = SentinelVerdict.Judge(watch.Answers, cluster.Sentinels.Count, oldMaster, newMaster, timeline);
            var (lost, checkedCount) = await LostSinceLastCheckAsync(newMaster, cancellationToken).ConfigureAwait(false);
            var after = await cluster.StatusAsync(cancellationToken).ConfigureAwait(false);
            return new FaultRecord(name, number, kind, target, faultWall, gap.Ms, timeline.Ms(gap.From), timeline.Ms(gap.To), lost, checkedCount,
                oldMaster, newMaster, verdict, recovered.ReadyMs, timeline.Ms(endAt), UnexpectedRestarts(status, after, kind.IsPartition() ? (_, zone) => zone == target : (node, _) => node == target), failure, timeline, snapshots);
        }
    }

    private static (string Name, int? Pid) Target(FaultKind kind, RedisStatus status, int pick)
    {
        switch (kind)
        {
            case FaultKind.MasterKill or FaultKind.MasterStop:
                var master = status.Nodes.Single(n => n.Address == status.Master);
                return (master.Name, master.Pid);
            case FaultKind.ReplicaKill or FaultKind.ReplicaStop:
                var replicas = status.Nodes.Where(n => n.Address != status.Master).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
                var replica = replicas[pick % replicas.Count];
                return (replica.Name, replica.Pid);
            case FaultKind.MasterPartition:
                return (status.Nodes.Single(n => n.Address == status.Master).Zone, null);
            case FaultKind.ReplicaPartition:
                var others = status.Nodes.Where(n => n.Address != status.Master).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
                return (others[pick % others.Count].Zone, null);
            case FaultKind.SentinelKill:
                var sentinels = status.SentinelNodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
                var sentinel = sentinels[pick % sentinels.Count];
                return (sentinel.Name, sentinel.Pid);
            default:
                return ("control plane", null);
        }
    }

    private static async Task ContinueLaterAsync(int pid, TimeSpan frozenFor, Timeline timeline)
    {
        await Task.Delay(frozenFor, CancellationToken.None).ConfigureAwait(false);
        Signals.TrySend(pid, Signals.Continue);
        timeline.Add("SIGCONT");
    }

    /// <summary>The zone's index in the resource's zone order, which is the order of its namespaces.</summary>
    private static int ZoneIndex(RedisStatus status, string zone)
    {
        var index = SpecDefaults.DefaultZones.ToList().IndexOf(zone);
        return index >= 0 ? index : throw new InvalidOperationException($"zone {zone} of {string.Join(", ", status.Nodes.Select(n => $"{n.Name}@{n.Zone}"))} is not a default zone");
    }

    /// <summary>Restores the zone's link after <paramref name="down"/>, whatever happens meanwhile: a storm never leaves a zone cut off.</summary>
    private static async Task HealLaterAsync(ZoneNamespaceNetwork network, int zone, TimeSpan down, Timeline timeline)
    {
        try
        {
            await Task.Delay(down, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await network.HealAsync(zone).ConfigureAwait(false);
            timeline.Add("zone's link up again");
        }
    }

    private async Task RestartControlPlaneAsync(TimeSpan down, Timeline timeline, CancellationToken cancellationToken)
    {
        await cluster.CrashControlPlaneAsync(cancellationToken).ConfigureAwait(false);
        timeline.Add("old control plane gone (stopped without stopping its nodes)");
        await Task.Delay(down, cancellationToken).ConfigureAwait(false);
        await cluster.StartControlPlaneAsync(cancellationToken).ConfigureAwait(false);
        timeline.Add("new control plane started on the same home");
    }

    /// <summary>
    /// Polls the control plane's status every 50 ms and writes every change into the timeline, until the resource is
    /// back: the fault is over (SIGCONT sent, control plane back), a killed process has been replaced, the phase is
    /// Ready and the outside probe finds every Sentinel and node healthy. Returns when, and the master then.
    /// </summary>
    private async Task<(double? ReadyMs, string? Master)> WaitRecoveredAsync(
        Timeline timeline, DateTimeOffset faultWall, RedisStatus before, string target, int? killedPid, FaultKind kind, Task faultOver,
        List<(double Ms, string Json)> snapshots, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var phase = before.Phase;
        var master = before.Master;
        var lastFailover = before.LastFailover?.Time;
        var pids = before.Nodes.Select(n => (n.Name, n.Pid)).Concat(before.SentinelNodes.Select(n => (n.Name, n.Pid))).ToDictionary(p => p.Name, p => p.Pid, StringComparer.Ordinal);
        var seenEvents = before.Events.Select(e => (e.Time, e.Reason, e.Message)).ToHashSet();
        var probeDetail = "";
        var killed = kind is FaultKind.MasterKill or FaultKind.ReplicaKill or FaultKind.SentinelKill;
        while (clock.Elapsed < Recovery)
        {
            var resource = await cluster.ResourceAsync(cancellationToken).ConfigureAwait(false);
            if (resource?.Status is not { } status)
            {
                if (phase != "(no control plane)")
                {
                    phase = "(no control plane)";
                    timeline.Add("status: no control plane");
                }
            }
            else
            {
                if (status.Phase != phase)
                {
                    phase = status.Phase;
                    var reasons = string.Join(", ", status.Conditions.Where(c => c.Status != "True").Select(c => $"{c.Type}: {c.Reason}"));
                    timeline.Add($"status: phase {phase}{(reasons.Length > 0 ? $" ({reasons})" : "")}");
                    snapshots.Add((timeline.Ms(Stopwatch.GetTimestamp()), ResourceSerializer.ToJson(resource)));
                }

                if (status.Master != master)
                {
                    master = status.Master;
                    timeline.Add($"status: master {master ?? "-"}");
                }

                foreach (var (node, pid) in status.Nodes.Select(n => (n.Name, n.Pid)).Concat(status.SentinelNodes.Select(n => (n.Name, n.Pid))))
                {
                    if (pids.TryGetValue(node, out var known) && known != pid && pid is not null)
                    {
                        timeline.Add($"status: {node} pid {known?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} -> {pid}");
                    }

                    pids[node] = pid ?? (pids.TryGetValue(node, out var k) ? k : null);
                }

                if (status.LastFailover is { } failover && failover.Time != lastFailover)
                {
                    lastFailover = failover.Time;
                    timeline.AddAtMs((failover.Time - faultWall).TotalMilliseconds, $"control plane recorded a failover {failover.From} -> {failover.To} taking {failover.DurationMs:F0} ms ({failover.Cause})");
                }

                foreach (var e in status.Events.Where(e => seenEvents.Add((e.Time, e.Reason, e.Message))))
                {
                    timeline.AddAtMs((e.Time - faultWall).TotalMilliseconds, $"event {e.Type}/{e.Reason}: {e.Message}");
                }

                var replaced = !killed || (pids.TryGetValue(target, out var now) && now is not null && now != killedPid);
                if (faultOver.IsCompleted && replaced && status.Phase == Phases.Ready)
                {
                    var verdict = await cluster.Probe.CheckAsync(cancellationToken).ConfigureAwait(false);
                    if (verdict.Healthy)
                    {
                        var at = Stopwatch.GetTimestamp();
                        timeline.Add(at, "Ready, every Sentinel and node healthy");
                        snapshots.Add((timeline.Ms(at), ResourceSerializer.ToJson(resource)));
                        return (timeline.Ms(at), verdict.Master);
                    }

                    if (verdict.Detail != probeDetail)
                    {
                        probeDetail = verdict.Detail;
                        timeline.Add($"phase Ready but the probe says: {probeDetail}");
                    }
                }
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return (null, null);
    }

    /// <summary>Pid changes of nodes and Sentinels the fault did not touch (a partition touches every node of its zone: a cut-off master is fenced); <c>touched</c> takes a name and a zone.</summary>
    private static int UnexpectedRestarts(RedisStatus before, RedisStatus after, Func<string, string, bool> touched)
    {
        var then = before.Nodes.Select(n => (n.Name, n.Pid)).Concat(before.SentinelNodes.Select(n => (n.Name, n.Pid))).ToDictionary(p => p.Name, p => p.Pid, StringComparer.Ordinal);
        return after.Nodes.Select(n => (n.Name, n.Zone, n.Pid)).Concat(after.SentinelNodes.Select(n => (n.Name, n.Zone, n.Pid)))
            .Count(n => then.TryGetValue(n.Name, out var pid) && pid != n.Pid && n.Pid is not null && !touched(n.Name, n.Zone));
    }

    /// <summary>Checks the writes acknowledged since the previous check against <paramref name="master"/>.</summary>
    private async Task<(int Lost, int Checked)> LostSinceLastCheckAsync(string? master, CancellationToken cancellationToken)
    {
        if (master is null)
        {
            return (0, 0);
        }

        var (sequences, next) = Log.SequencesFrom(_checkedUpTo);
        var lost = await Keys.MissingAsync(master, cluster.Password, sequences, cancellationToken).ConfigureAwait(false);
        _checkedUpTo = next;
        return (lost, sequences.Count);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
