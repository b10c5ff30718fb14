namespace Redoubt.Output;

/// <summary>
/// Follows the events of resources read again and again: each read gives back only the events not seen before,
/// oldest first. An event is the same event when its resource, time, reason and message are.
/// </summary>
public sealed class EventFeed
{
    private readonly HashSet<(string Resource, DateTimeOffset Time, string Reason, string Message)> _seen = [];
    private readonly Func<ResourceEvent, bool> _wanted;

    /// <param name="wanted">Which events the follower cares about; the others are never returned.</param>
    public EventFeed(Func<ResourceEvent, bool>? wanted = null)
    {
        _wanted = wanted ?? (_ => true);
    }

    public IReadOnlyList<ResourceEvent> Next(IEnumerable<ResourceEvent> events)
    {
        var fresh = new List<ResourceEvent>();
        foreach (var resourceEvent in events.OrderBy(e => e.Time))
        {
            if (_wanted(resourceEvent) && _seen.Add((resourceEvent.Resource, resourceEvent.Time, resourceEvent.Reason, resourceEvent.Message)))
            {
                fresh.Add(resourceEvent);
            }
        }
        return fresh;
    }

    /// <summary>The warnings that happened at or after <paramref name="since"/>: what `up` shows while it runs.</summary>
    public static EventFeed WarningsSince(DateTimeOffset since) =>
        new(resourceEvent => resourceEvent.Type == ResourceEvent.Warning && resourceEvent.Time >= since);
}
