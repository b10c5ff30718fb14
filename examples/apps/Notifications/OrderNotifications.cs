// Pub/sub notifications with a stream beside them for what must not be lost. PUBLISH is fire-and-forget: a message
// published while the subscriber reconnects, or to a master that dies, is gone. So each notification is first
// appended to a stream (replicated and persisted like any key), then published for speed; the subscriber takes
// what pub/sub delivers and catches up from the stream after a reconnect, and every second in case a message
// vanished without its connection dropping (published on a master that died before the message reached it).
//
//   ./redoubt up -f examples/redis.yaml
//   ./redoubt credentials example -o json | dotnet run --project examples/apps -- notifications
//   ./redoubt failover example                         (while it runs: the subscriber catches up from the stream)
using System.Collections.Concurrent;
using System.Globalization;
using Redoubt.Examples.Shared;
using StackExchange.Redis;

namespace Redoubt.Examples.Notifications;

public sealed class OrderNotifications(IConnectionMultiplexer publisher, IConnectionMultiplexer subscriber) : IDisposable
{
    public const string Stream = "notifications";
    public static readonly RedisChannel Channel = RedisChannel.Literal("notifications");

    /// <summary>The stream keeps the latest notifications (about this many): enough to catch up after any failover.</summary>
    public const int StreamLength = 100_000;

    public static readonly TimeSpan CatchUpEvery = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, bool> _published = new();
    private readonly ConcurrentDictionary<string, bool> _viaPubSub = new();
    private readonly ConcurrentDictionary<string, bool> _received = new();
    private readonly SemaphoreSlim _catchingUp = new(1, 1);
    private RedisValue _cursor = "0-0";
    private long _publishFailed;
    private long _failedAttempts;
    private long _catchUps;

    /// <summary>Appends the notification to the stream (retried: it must not be lost), then publishes it (once: it may be).</summary>
    public async Task PublishAsync(string notificationId, string text, CancellationToken cancellationToken)
    {
        await Transient.RetryAsync(
            () => publisher.GetDatabase().StreamAddAsync(Stream, [new("id", notificationId), new("text", text)], maxLength: StreamLength, useApproximateMaxLength: true),
            () => Interlocked.Increment(ref _failedAttempts),
            cancellationToken);
        try
        {
            await publisher.GetSubscriber().PublishAsync(Channel, notificationId).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (Transient.IsTransient(e))
        {
            // The stream has it; subscribers catch up.
            Interlocked.Increment(ref _publishFailed);
        }
    }

    /// <summary>Subscribes, and catches up from the stream whenever the subscriber's connection comes back.</summary>
    public async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        // Only what is published from now on: the stream's end is where catching up starts.
        var last = await Transient.RetryAsync(() => subscriber.GetDatabase().StreamRangeAsync(Stream, "-", "+", 1, Order.Descending), null, cancellationToken);
        _cursor = last.Length > 0 ? last[0].Id : "0-0";
        subscriber.ConnectionRestored += OnConnectionRestored;
        await Transient.RetryAsync(
            async () =>
            {
                await subscriber.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
                {
                    _viaPubSub[message.ToString()] = true;
                    _received[message.ToString()] = true;
                });
                return true;
            },
            null,
            cancellationToken);
    }

    /// <summary>Reads the stream from the last entry seen and takes every notification pub/sub did not deliver.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await _catchingUp.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref _catchUps);
            while (true)
            {
                // Exclusive start "(id": entries after the cursor.
                var entries = await Transient.RetryAsync(() => subscriber.GetDatabase().StreamRangeAsync(Stream, "(" + _cursor, "+", 500), null, cancellationToken);
                foreach (var entry in entries)
                {
                    _received[entry["id"].ToString()] = true;
                }

                if (entries.Length < 500)
                {
                    if (entries.Length > 0)
                    {
                        _cursor = entries[^1].Id;
                    }

                    return;
                }

                _cursor = entries[^1].Id;
            }
        }
        finally
        {
            _catchingUp.Release();
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await CatchUpAsync(CancellationToken.None);
            }
            catch (Exception failure) when (Transient.IsTransient(failure))
            {
                // The periodic catch-up tries again within a second.
            }
            catch (ObjectDisposedException)
            {
                // The connection came back as the application stopped.
            }
        });

    /// <summary>Every notification whose XADD was acknowledged.</summary>
    public IReadOnlyCollection<string> Published => [.. _published.Keys];

    public int PublishedCount => _published.Count;

    /// <summary>Notifications the subscriber has, by pub/sub or from the stream.</summary>
    public IReadOnlyCollection<string> Received => [.. _received.Keys];

    /// <summary>Acknowledged notifications pub/sub never delivered (the stream did, or nothing did).</summary>
    public int LostOverPubSub => _published.Keys.Count(n => !_viaPubSub.ContainsKey(n));

    public int LostForGood => _published.Keys.Count(n => !_received.ContainsKey(n));

    /// <summary>
    /// An order service notifying until <paramref name="stop"/>, a subscriber taking them; then the subscriber
    /// catches up until it has every acknowledged notification (or <see cref="DrainLimit"/>).
    /// </summary>
    public async Task<AppRun> RunAsync(CancellationToken stop)
    {
        await SubscribeAsync(stop);
        using var stopCatchingUp = new CancellationTokenSource();
        var catchingUp = Task.Run(() => CatchUpEveryAsync(stopCatchingUp.Token), CancellationToken.None);
        var run = Guid.NewGuid().ToString("N")[..8];
        var sent = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var id = $"{run}-{sent++.ToString(CultureInfo.InvariantCulture)}";
                await PublishAsync(id, "order shipped", stop);
                _published[id] = true;
                if (!await Pace.ThinkAsync(stop))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped in the middle of a notification: it was not acknowledged.
        }

        var deadline = DateTime.UtcNow + DrainLimit;
        while (LostForGood > 0 && DateTime.UtcNow < deadline && !catchingUp.IsCompleted)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        await stopCatchingUp.CancelAsync();
        await catchingUp;
        return new AppRun("notifications", _published.Count, Interlocked.Read(ref _failedAttempts),
            $"{_published.Count} published, {_published.Count - LostOverPubSub} delivered by pub/sub, {LostOverPubSub} lost by pub/sub and caught up from the stream: {LostForGood} lost for good, {Interlocked.Read(ref _publishFailed)} PUBLISH failed, {Interlocked.Read(ref _catchUps)} catch-ups");
    }

    private async Task CatchUpEveryAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(CatchUpEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await CatchUpAsync(stop);
                }
                catch (Exception e) when (Transient.IsTransient(e))
                {
                    // The next tick tries again.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    public void Dispose()
    {
        subscriber.ConnectionRestored -= OnConnectionRestored;
        _catchingUp.Dispose();
    }
}
