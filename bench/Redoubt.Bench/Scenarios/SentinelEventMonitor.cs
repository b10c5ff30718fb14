using Redoubt.Bench.Resp;

namespace Redoubt.Bench.Scenarios;

/// <summary>
/// Subscribes to every Sentinel's +switch-master, +sdown and +odown and counts those about the master: under a load
/// that is only load, all three must stay at zero.
/// </summary>
internal sealed class SentinelEventMonitor(IReadOnlyList<string> sentinels, string? password) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _listeners = [];
    private readonly Lock _lock = new();
    private readonly List<string> _events = [];

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public int Count(string channel)
    {
        lock (_lock)
        {
            return _events.Count(e => e.StartsWith(channel + " ", StringComparison.Ordinal));
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var sentinel in sentinels)
        {
            var connection = await RespConnection.ConnectAsync(sentinel, password, Timeout, cancellationToken).ConfigureAwait(false);
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                limit.CancelAfter(Timeout);
                await connection.SendAsync(limit.Token, "SUBSCRIBE", "+switch-master", "+sdown", "+odown").ConfigureAwait(false);
                for (var i = 0; i < 3; i++)
                {
                    await connection.ReadReplyAsync(limit.Token).ConfigureAwait(false);
                }
            }

            _listeners.Add(Task.Run(() => ListenAsync(sentinel, connection), CancellationToken.None));
        }
    }

    private async Task ListenAsync(string sentinel, RespConnection connection)
    {
        using (connection)
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var message = await connection.ReadReplyAsync(_stop.Token).ConfigureAwait(false);
                    if (message.Array is [{ Text: "message" }, { Text: { } channel }, { Text: { } payload }]
                        && (channel == "+switch-master" || payload.StartsWith("master ", StringComparison.Ordinal)))
                    {
                        lock (_lock)
                        {
                            _events.Add($"{channel} {payload} (seen by {sentinel})");
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Stopped.
            }
            catch (Exception e) when (RespFailure.Is(e))
            {
                lock (_lock)
                {
                    _events.Add($"lost {sentinel}: {e.Message}");
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_listeners).ConfigureAwait(false);
        _stop.Dispose();
    }
}
