namespace Redoubt.Core.ControlPlane;

/// <summary>
/// Tells whoever listens (the dashboard's live feed) that a resource's status, spec or existence changed. Only the
/// resource's key and when it changed travel: a subscriber reads the resource afresh when it gets to it, so one that
/// falls behind sees the latest state once, never a queue of stale ones. Publishing never blocks and never waits for a
/// subscriber, so the reconciler that saves a status is never held up by a slow browser.
/// </summary>
public sealed class StatusFeed(TimeProvider time)
{
    private readonly Lock _lock = new();
    private StatusSubscription[] _subscribers = [];

    public StatusFeed() : this(TimeProvider.System)
    {
    }

    /// <summary>How many resources' changes one subscriber may hold unread; past that it is told to read everything again.</summary>
    public int PendingLimit { get; init; } = 256;

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Called by the platform after it saved a change of <paramref name="key"/>; cheap and non-blocking.</summary>
    public void Publish(string key)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var subscriber in subscribers)
        {
            subscriber.Offer(key, now);
        }
    }

    /// <summary>A new subscription; dispose it to stop receiving.</summary>
    public StatusSubscription Subscribe()
    {
        var subscription = new StatusSubscription(this, PendingLimit);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    internal void Unsubscribe(StatusSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscription))];
        }
    }
}
