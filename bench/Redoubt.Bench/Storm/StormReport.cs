using System.Globalization;
using Redoubt.Bench.Reporting;

namespace Redoubt.Bench.Storm;

/// <summary>The storm's figures: one line per fault as it happens, a table per fault type, and the outliers explained.</summary>
internal sealed class StormReport
{
    /// <summary>
    /// A gap is an outlier above twice its type's median, and only when it is also this much above it: on a shared
    /// 2-core machine a 30 ms gap next to a 15 ms median is scheduling noise, not something to explain; 100 ms hid the
    /// replica and Sentinel faults' 80-100 ms gaps, which are worth a timeline.
    /// </summary>
    public static readonly double OutlierFloorMs = 50;

    private readonly Lock _lock = new();
    private readonly List<FaultRecord> _records = [];

    public IReadOnlyList<FaultRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    public void Add(FaultRecord r)
    {
        lock (_lock)
        {
            _records.Add(r);
        }

        var sentinels = r.Sentinels.FirstMs is { } first ? $"Sentinels first {Timeline.Seconds(first)} all {(r.Sentinels.AllMs is { } all ? Timeline.Seconds(all) : "never")}" : "no master change";
        Console.WriteLine($"  {r.Resource} #{r.Number,-3} {r.Kind.Label(),-20} {r.Target,-13} gap {r.GapMs,6:F0} ms  ready {(r.ReadyMs is { } ready ? $"{ready / 1000,5:F2} s" : "  -   ")}  lost {r.Lost}/{r.Checked}  {sentinels}"
            + $"{(r.Sentinels.FlipBacks > 0 ? $"  FLIP-BACKS {r.Sentinels.FlipBacks}" : "")}{(r.FalseFailover ? "  FALSE FAILOVER" : "")}{(r.UnexpectedRestarts > 0 ? $"  {r.UnexpectedRestarts} unexpected restart(s)" : "")}{(r.Failure is null ? "" : $"  FAILED: {r.Failure}")}");
    }

    public void PrintTable(TextWriter output)
    {
        var records = Records;
        output.WriteLine();
        output.WriteLine("Per fault type (both resources; times in ms from the fault; gap = longest time without an acknowledged write until the writer wrote again after Ready;");
        output.WriteLine("agree = until every Sentinel names the new master, first = until the first one does; flips = flip-backs and stray addresses; restarts = pid changes of nodes not faulted)");
        output.WriteLine();
        output.WriteLine($"  {"fault",-20} {"n",4} | {"gap p50",7} {"p95",6} {"p99",6} {"max",6} | {"lost",9} {"false",5} {"flips",5} | {"agree p50",9} {"p95",6} {"max",6} {"first p50",9} | {"ready p50",9} {"p95",6} {"max",6} | {"failed",6} {"restarts",8}");
        foreach (var kind in FaultKinds.All)
        {
            var of = records.Where(r => r.Kind == kind).ToList();
            if (of.Count == 0)
            {
                continue;
            }

            var gaps = of.Select(r => r.GapMs).ToList();
            var agree = of.Where(r => r.Sentinels.AllMs is not null).Select(r => r.Sentinels.AllMs!.Value).ToList();
            var first = of.Where(r => r.Sentinels.FirstMs is not null).Select(r => r.Sentinels.FirstMs!.Value).ToList();
            var ready = of.Where(r => r.ReadyMs is not null).Select(r => r.ReadyMs!.Value).ToList();
            output.WriteLine($"  {kind.Label(),-20} {of.Count,4} | {Ms(Percentile(gaps, 50)),7} {Ms(Percentile(gaps, 95)),6} {Ms(Percentile(gaps, 99)),6} {Ms(gaps.Max()),6} | "
                + $"{$"{of.Sum(r => r.Lost)}/{of.Sum(r => r.Checked)}",9} {of.Count(r => r.FalseFailover),5} {of.Sum(r => r.Sentinels.FlipBacks),5} | "
                + $"{Ms(Percentile(agree, 50)),9} {Ms(Percentile(agree, 95)),6} {Ms(agree.Count == 0 ? double.NaN : agree.Max()),6} {Ms(Percentile(first, 50)),9} | "
                + $"{Ms(Percentile(ready, 50)),9} {Ms(Percentile(ready, 95)),6} {Ms(ready.Count == 0 ? double.NaN : ready.Max()),6} | {of.Count(r => r.Failure is not null),6} {of.Sum(r => r.UnexpectedRestarts),8}");
        }

        var anomalies = records.SelectMany(r => r.Sentinels.Anomalies.Select(a => $"{r.Resource} #{r.Number} {r.Kind.Label()}: {a}")).ToList();
        foreach (var anomaly in anomalies.Take(30))
        {
            output.WriteLine($"  flip-back: {anomaly}");
        }
    }

    /// <summary>
    /// Faults whose gap is more than twice their type's median (and <see cref="OutlierFloorMs"/> above it), and every
    /// fault that did not heal, lost an acknowledged write, flipped a Sentinel back, failed over falsely or restarted a
    /// node it did not touch: each of those needs its evidence as much as a long gap does.
    /// </summary>
    public List<FaultRecord> Outliers()
    {
        var records = Records;
        var medians = records.GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => Stats.Median(g.Select(r => r.GapMs)));
        return [.. records.Where(r => r.Failure is not null || r.Lost > 0 || r.Sentinels.FlipBacks > 0 || r.FalseFailover || r.UnexpectedRestarts > 0
            || (r.GapMs > 2 * medians[r.Kind] && r.GapMs > medians[r.Kind] + OutlierFloorMs))];
    }

    public static double MedianOf(IEnumerable<FaultRecord> records, FaultKind kind) => Stats.Median(records.Where(r => r.Kind == kind).Select(r => r.GapMs));

    /// <summary>Nearest-rank percentile; NaN for no values.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("F0", CultureInfo.InvariantCulture);
}
