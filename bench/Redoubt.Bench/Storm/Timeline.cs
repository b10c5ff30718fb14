using System.Diagnostics;

namespace Redoubt.Bench.Storm;

/// <summary>What happened during one fault, in milliseconds from the fault, from every source the bench watches.</summary>
internal sealed class Timeline(long faultAt)
{
    private readonly Lock _lock = new();
    private readonly List<(double Ms, string What)> _entries = [];

    public long FaultAt => faultAt;

    /// <summary>Milliseconds from the fault to <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public double Ms(long timestamp) => (timestamp - faultAt) * 1000.0 / Stopwatch.Frequency;

    public void Add(string what) => Add(Stopwatch.GetTimestamp(), what);

    public void Add(long timestamp, string what)
    {
        lock (_lock)
        {
            _entries.Add((Ms(timestamp), what));
        }
    }

    public void AddAtMs(double ms, string what)
    {
        lock (_lock)
        {
            _entries.Add((ms, what));
        }
    }

    public List<(double Ms, string What)> Entries()
    {
        lock (_lock)
        {
            return [.. _entries.OrderBy(e => e.Ms)];
        }
    }

    /// <summary>The first entry starting with <paramref name="prefix"/>, if any.</summary>
    public double? First(string prefix)
    {
        lock (_lock)
        {
            var found = _entries.Where(e => e.What.StartsWith(prefix, StringComparison.Ordinal)).Select(e => (double?)e.Ms).Min();
            return found;
        }
    }

    public static string Seconds(double ms) => $"{(ms < 0 ? "-" : "+")}{Math.Abs(ms) / 1000:F2} s";
}
