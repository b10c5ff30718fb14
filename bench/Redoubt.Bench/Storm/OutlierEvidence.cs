using System.Text;
using Redoubt.Bench.Clusters;

namespace Redoubt.Bench.Storm;

/// <summary>
/// For one outlier: keeps the evidence (its timeline merged with the node and control-plane log lines of the window,
/// the status JSON at each phase change, the log slices) in a folder of its own, and says in one line what took
/// the time, from the recorded timeline.
/// </summary>
internal static class OutlierEvidence
{
    public static string Keep(FaultRecord r, RedoubtCluster cluster, string controlPlaneLog, string folder, double medianMs)
    {
        Directory.CreateDirectory(folder);
        var from = r.FaultWall.AddSeconds(-1);
        var to = r.FaultWall.AddMilliseconds(r.EndMs + 1000);
        var resourceFolder = Path.Combine(cluster.Home, "resources", RedoubtCluster.Namespace, RedoubtCluster.ResourceName);
        var files = new List<(string Source, string Path, bool ControlPlane)> { ("control-plane", controlPlaneLog, true) };
        if (Directory.Exists(resourceFolder))
        {
            foreach (var node in Directory.EnumerateDirectories(resourceFolder).Order(StringComparer.Ordinal))
            {
                var nodeName = Path.GetFileName(node);
                files.Add((nodeName, Path.Combine(node, nodeName.StartsWith("sentinel", StringComparison.Ordinal) ? "sentinel.log" : "redis.log"), false));
            }
        }

        var lines = NodeLogs.Between(files, r.FaultWall, from, to);
        foreach (var group in lines.GroupBy(l => l.Source))
        {
            File.WriteAllLines(Path.Combine(folder, group.Key + ".log"), group.Select(l => $"{Timeline.Seconds(l.Ms),9}  {l.Text}"));
        }

        foreach (var (ms, json) in r.Snapshots)
        {
            File.WriteAllText(Path.Combine(folder, $"status{(ms < 0 ? "-before" : $"-at-{ms / 1000:F2}s")}.json"), json);
        }

        var merged = r.Timeline.Entries().Select(e => (e.Ms, Text: e.What))
            .Concat(lines.Where(l => l.IsNotable).Select(l => (l.Ms, Text: $"[{l.Source}] {l.Text}")))
            .OrderBy(e => e.Ms).ToList();
        var text = new StringBuilder();
        text.AppendLine($"{r.Id}: {r.Kind.Label()} of {r.Target}; gap {r.GapMs:F0} ms ({Timeline.Seconds(r.GapFromMs)} to {Timeline.Seconds(r.GapToMs)}), type median {medianMs:F0} ms; master {r.OldMaster} -> {r.NewMaster ?? "-"}; fault at {r.FaultWall:HH:mm:ss.fff} UTC");
        foreach (var (ms, what) in merged)
        {
            text.AppendLine($"{Timeline.Seconds(ms),9}  {what}");
        }

        File.WriteAllText(Path.Combine(folder, "timeline.txt"), text.ToString());
        return Explain(r, merged);
    }

    /// <summary>What took the time, from the timeline: the failover, the writer after it, a frozen master, or what else happened inside the gap.</summary>
    public static string Explain(FaultRecord r, IReadOnlyList<(double Ms, string Text)> merged)
    {
        var gap = $"gap {r.GapMs:F0} ms ({Timeline.Seconds(r.GapFromMs)} to {Timeline.Seconds(r.GapToMs)})";
        string headline;
        if (r.Failure is not null)
        {
            headline = $"FAILED: {r.Failure}";
        }
        else if (r.NewMaster is not null && r.NewMaster != r.OldMaster && r.Sentinels.FirstMs is { } first)
        {
            var all = r.Sentinels.AllMs is { } a ? Timeline.Seconds(a) : "never settled";
            headline = r.GapToMs - first <= 250
                ? $"the failover itself: first Sentinel named {r.NewMaster} at {Timeline.Seconds(first)}, all at {all}; writer acknowledged at {Timeline.Seconds(r.GapToMs)}"
                : $"the writer after the failover: first Sentinel named {r.NewMaster} at {Timeline.Seconds(first)}, all at {all}, but the writer acknowledged only at {Timeline.Seconds(r.GapToMs)} ({r.GapToMs - first:F0} ms later)";
        }
        else if (r.Kind == FaultKind.MasterStop)
        {
            var resumed = r.Timeline.First("SIGCONT");
            headline = $"no failover: the master was frozen until SIGCONT at {(resumed is { } s ? Timeline.Seconds(s) : "?")}; writer acknowledged at {Timeline.Seconds(r.GapToMs)}";
        }
        else
        {
            headline = $"master {r.OldMaster} unchanged; the writer waited from {Timeline.Seconds(r.GapFromMs)} to {Timeline.Seconds(r.GapToMs)}";
        }

        // What else happened around the gap, except the writer's own marks and the repeated Sentinel answers.
        var inside = merged.Where(e => e.Ms >= r.GapFromMs - 300 && e.Ms <= r.GapToMs + 50
                && !e.Text.StartsWith("writer:", StringComparison.Ordinal) && !e.Text.StartsWith("Sentinel ", StringComparison.Ordinal))
            .Take(6).Select(e => $"{Timeline.Seconds(e.Ms)} {Shorten(e.Text)}").ToList();
        var failover = merged.FirstOrDefault(e => e.Text.StartsWith("control plane recorded", StringComparison.Ordinal));
        var flips = r.Sentinels.Anomalies.Count == 0 ? "" : $"; FLIP-BACKS: {string.Join(" | ", r.Sentinels.Anomalies)}";
        return $"{r.Resource} #{r.Number} {r.Kind.Label()} {r.Target}: {gap}; {headline}{flips}"
            + (failover.Text is null ? "" : $"; {failover.Text} at {Timeline.Seconds(failover.Ms)}")
            + $"; around the gap: {(inside.Count > 0 ? string.Join(" | ", inside) : "nothing recorded")}";
    }

    private static string Shorten(string text) => text.Length <= 110 ? text : text[..107] + "...";
}
