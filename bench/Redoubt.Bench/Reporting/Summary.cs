using Redoubt.Bench.Scenarios;

namespace Redoubt.Bench.Reporting;

/// <summary>The figures the project quotes, printed as one table at the end of a run.</summary>
internal sealed class Summary
{
    private readonly List<EventResult> _events = [];
    private readonly List<SaturationResult> _saturation = [];
    private readonly List<string> _failures = [];
    private readonly Lock _lock = new();

    public const string Redoubt = "Redoubt";
    public const string Baseline = "baseline";
    public const string Kill = "kill -9";
    public const string Freeze = "SIGSTOP";
    public const string Switchover = "switchover";
    public const string RollingRestart = "rolling restart";
    public const string ClientBare = "bare string, kill -9";
    public const string ClientPrinted = "printed string, kill -9";
    public const string ClientSettings = "tuned settings, kill -9";
    public const string ClientTuned = "Redoubt.Client, kill -9";

    public void Add(EventResult result)
    {
        lock (_lock)
        {
            _events.Add(result);
        }

        var server = result.ServerMs is { } ms ? $"{(result.Event switch { Switchover => "pause", RollingRestart => "took", _ => "record" }),6} {ms,5:F0} ms" : new string(' ', 15);
        Console.WriteLine($"  {result.Setup,-8} {result.Event,-27} #{result.Run}  gap {result.GapMs,6:F0} ms  lost {result.Lost} of {result.Acknowledged,-7} {server}  {result.Note}");
    }

    public void Add(SaturationResult result)
    {
        lock (_lock)
        {
            _saturation.Add(result);
        }

        Console.WriteLine($"  {result.Setup,-8} saturation {result.Duration.TotalSeconds:F0} s: master changes {result.MasterChanges}, +sdown {result.MasterSdown}, +odown {result.MasterOdown}, load {result.OpsPerSecond / 1000:F0}k commands/s, writer max gap {result.WriterMaxGapMs:F0} ms, lost {result.Lost} of {result.Acknowledged}");
        foreach (var e in result.Events.Take(20))
        {
            Console.WriteLine($"           {e}");
        }
    }

    public bool Failed
    {
        get
        {
            lock (_lock)
            {
                return _failures.Count > 0;
            }
        }
    }

    /// <summary>A setup that stopped being measurable (it did not return to healthy): the rest of its parts are skipped.</summary>
    public void AddFailure(string setup, string message)
    {
        lock (_lock)
        {
            _failures.Add($"{setup}: {message}");
        }

        Console.WriteLine($"  {setup,-8} FAILED: {message}");
    }

    private List<EventResult> Of(string setup, string kind)
    {
        lock (_lock)
        {
            return [.. _events.Where(e => e.Setup == setup && e.Event == kind)];
        }
    }

    public void Print(TextWriter output, TimeSpan elapsed)
    {
        output.WriteLine();
        output.WriteLine($"Summary ({elapsed.TotalMinutes:F1} min; gap = longest time without an acknowledged write from the fault on; lost = acknowledged writes missing on the final master)");
        output.WriteLine();
        output.WriteLine($"  {"",-32} {Redoubt,20} {Baseline,20} {"Redoubt/baseline",18}");
        Compare(output, Kill);
        Compare(output, Freeze);

        var switchovers = Of(Redoubt, Switchover);
        if (switchovers.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"  planned switchover on Redoubt ({switchovers.Count} runs): write pause {Stats.Median(switchovers.Select(s => s.ServerMs ?? double.NaN)):F0} ms median (control plane), "
                + $"writer gap {Stats.Median(switchovers.Select(s => s.GapMs)):F0} ms median / {Stats.Max(switchovers.Select(s => s.GapMs)):F0} ms max, lost {switchovers.Sum(s => s.Lost)} of {switchovers.Sum(s => s.Acknowledged)}");
        }

        var restarts = Of(Redoubt, RollingRestart);
        if (restarts.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"  rolling restart on Redoubt (3 Sentinels, then 2 replicas, then the master after a switchover; {restarts.Count} run(s)): took {Stats.Median(restarts.Select(s => s.ServerMs ?? double.NaN)):F0} ms median, "
                + $"longest write gap {Stats.Median(restarts.Select(s => s.GapMs)):F0} ms median / {Stats.Max(restarts.Select(s => s.GapMs)):F0} ms max, lost {restarts.Sum(s => s.Lost)} of {restarts.Sum(s => s.Acknowledged)}");
        }

        var bare = Of(Redoubt, ClientBare);
        var printed = Of(Redoubt, ClientPrinted);
        var settings = Of(Redoubt, ClientSettings);
        var tuned = Of(Redoubt, ClientTuned);
        if (bare.Count + printed.Count + settings.Count + tuned.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"  C# application after kill -9 of the master on Redoubt (StackExchange.Redis, gap as the application sees it):");
            foreach (var (name, runs) in new[] { ("bare string (library defaults)", bare), ("the string credentials prints", printed), ("SentinelClientSettings only", settings), ("RedoubtConnection", tuned) })
            {
                if (runs.Count > 0)
                {
                    output.WriteLine($"    {name,-30} gap {Stats.Median(runs.Select(r => r.GapMs)),6:F0} ms median {Stats.Max(runs.Select(r => r.GapMs)),6:F0} ms max  lost {runs.Sum(r => r.Lost)} of {runs.Sum(r => r.Acknowledged)}  (failover as Redoubt recorded it {Stats.Median(runs.Select(r => r.ServerMs ?? double.NaN)):F0} ms median, {runs.Count} runs)");
                }
            }

            var server = Of(Redoubt, Kill);
            if (server.Count > 0)
            {
                output.WriteLine($"    {"raw Sentinel-guided writer",-30} gap {Stats.Median(server.Select(r => r.GapMs)),6:F0} ms median (the server-side figure above)");
            }
        }

        List<SaturationResult> saturation;
        lock (_lock)
        {
            saturation = [.. _saturation];
        }

        List<string> failures;
        lock (_lock)
        {
            failures = [.. _failures];
        }

        foreach (var failure in failures)
        {
            output.WriteLine();
            output.WriteLine($"  NOT COMPLETED: {failure}");
        }

        foreach (var s in saturation)
        {
            output.WriteLine();
            output.WriteLine($"  false failovers on {s.Setup} ({s.Duration.TotalSeconds:F0} s of redis-benchmark SET -c 50 -P 16 plus the writer): master changes {s.MasterChanges}{(s.MasterChanges == 0 ? " (ok)" : " (MUST BE 0)")}, "
                + $"+sdown {s.MasterSdown}, +odown {s.MasterOdown}; {s.OpsPerSecond / 1000:F0}k commands/s; writer max gap {s.WriterMaxGapMs:F0} ms; lost {s.Lost} of {s.Acknowledged}");
        }
    }

    private void Compare(TextWriter output, string kind)
    {
        var ours = Of(Redoubt, kind);
        var theirs = Of(Baseline, kind);
        if (ours.Count + theirs.Count == 0)
        {
            return;
        }

        var label = $"{kind} ({Math.Max(ours.Count, theirs.Count)} each)";
        Row(output, $"{label,-18} gap median", Stats.Median(ours.Select(e => e.GapMs)), Stats.Median(theirs.Select(e => e.GapMs)));
        Row(output, $"{"",-18} gap max", Stats.Max(ours.Select(e => e.GapMs)), Stats.Max(theirs.Select(e => e.GapMs)));
        output.WriteLine($"  {"",-18} {"lost",-13} {Lost(ours),20} {Lost(theirs),20}");
    }

    private static string Lost(List<EventResult> events) => events.Count == 0 ? "-" : $"{events.Sum(e => e.Lost)} of {events.Sum(e => e.Acknowledged)}";

    private static void Row(TextWriter output, string label, double ours, double theirs)
    {
        var ratio = double.IsNaN(ours) || double.IsNaN(theirs) || theirs == 0 ? "-" : $"{ours / theirs:F2}";
        output.WriteLine($"  {label,-32} {Ms(ours),20} {Ms(theirs),20} {ratio,18}");
    }

    private static string Ms(double value) => double.IsNaN(value) ? "-" : $"{value:F0} ms";
}
