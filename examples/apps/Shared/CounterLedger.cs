// What a writer of counters knows about them: the increments Redis acknowledged, and the ones whose attempt failed
// and may or may not have landed (a reply lost with a dying master). A counter then ends between the two bounds.
using System.Collections.Concurrent;

namespace Redoubt.Examples.Shared;

public sealed class CounterLedger
{
    private readonly ConcurrentDictionary<string, (long Acknowledged, long Uncertain)> _counters = new();

    public void Acknowledged(string key, long amount) =>
        _counters.AddOrUpdate(key, (amount, 0), (_, c) => (c.Acknowledged + amount, c.Uncertain));

    public void Uncertain(string key, long amount) =>
        _counters.AddOrUpdate(key, (0, amount), (_, c) => (c.Acknowledged, c.Uncertain + amount));

    /// <summary>Each counter: at least the acknowledged increments, at most those plus every failed attempt.</summary>
    public IReadOnlyDictionary<string, (long AtLeast, long AtMost)> Bounds =>
        _counters.ToDictionary(c => c.Key, c => (c.Value.Acknowledged, c.Value.Acknowledged + c.Value.Uncertain));
}
