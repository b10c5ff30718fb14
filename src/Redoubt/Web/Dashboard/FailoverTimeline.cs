using System.Collections.Concurrent;
using Redoubt.Model;

namespace Redoubt.Web.Dashboard;

/// <summary>
/// The failovers of each resource as the dashboard has seen them, newest first. A status carries only the last
/// failover; this keeps every distinct one (by when it started and where the master went) the status ever showed.
/// Bounded per resource.
/// </summary>
public sealed class FailoverTimeline(int capacity = 20)
{
    private readonly ConcurrentDictionary<string, ImmutableFailovers> _byResource = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="last"/> unless already known; returns the timeline.</summary>
    public IReadOnlyList<FailoverRecord> Record(string key, FailoverRecord? last) =>
        _byResource.AddOrUpdate(
            key,
            _ => ImmutableFailovers.Empty.With(last, capacity),
            (_, known) => known.With(last, capacity)).Records;

    public void Forget(string key) => _byResource.TryRemove(key, out _);

    private sealed record ImmutableFailovers(IReadOnlyList<FailoverRecord> Records)
    {
        public static ImmutableFailovers Empty { get; } = new([]);

        public ImmutableFailovers With(FailoverRecord? last, int capacity) =>
            last is null || Records.Any(r => r.Time == last.Time && r.To == last.To)
                ? this
                : new ImmutableFailovers([.. Records.Prepend(last).OrderByDescending(r => r.Time).Take(capacity)]);
    }
}
