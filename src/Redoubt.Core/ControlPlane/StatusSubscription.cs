using System.Threading.Channels;

namespace Redoubt.Core.ControlPlane;

/// <summary>
/// One listener of a <see cref="StatusFeed"/>: the keys changed since it last read, each once however often it changed
/// (coalesced, with the time of its first unread change), and a doorbell that rings when there are any. Bounded by
/// <see cref="StatusFeed.PendingLimit"/> keys: a subscriber that lets more pile up loses them and reads
/// <see cref="StatusChanges.Everything"/> instead.
/// </summary>
public sealed class StatusSubscription : IDisposable
{
    private readonly StatusFeed _feed;
    private readonly int _limit;
    private readonly Lock _lock = new();
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private Dictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);
    private DateTimeOffset? _overflowedAt;

    internal StatusSubscription(StatusFeed feed, int limit)
    {
        _feed = feed;
        _limit = limit;
    }

    internal void Offer(string key, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_overflowedAt is not null || !_pending.TryAdd(key, at))
            {
                return;
            }

            if (_pending.Count > _limit)
            {
                _overflowedAt = _pending.Values.Min();
                _pending.Clear();
            }
        }

        _doorbell.Writer.TryWrite(true);
    }

    /// <summary>Waits for changes and takes every one pending.</summary>
    public async ValueTask<StatusChanges> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Take() is { } changes)
            {
                return changes;
            }

            await _doorbell.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private StatusChanges? Take()
    {
        lock (_lock)
        {
            if (_overflowedAt is { } since)
            {
                _overflowedAt = null;
                return StatusChanges.Everything(since);
            }

            if (_pending.Count == 0)
            {
                return null;
            }

            var taken = _pending;
            _pending = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            return new StatusChanges([.. taken.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new StatusChange(p.Key, p.Value))], All: false);
        }
    }

    public void Dispose()
    {
        _feed.Unsubscribe(this);
        _doorbell.Writer.TryComplete();
    }
}
