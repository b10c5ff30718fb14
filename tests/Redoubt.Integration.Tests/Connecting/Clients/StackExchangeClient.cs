using Redoubt.Client;
using Redoubt.Core.ControlPlane;
using StackExchange.Redis;

namespace Redoubt.Integration.Tests.Connecting.Clients;

/// <summary>
/// StackExchange.Redis in this process, configured as the README tells .NET applications to: Redoubt.Client's
/// <see cref="SentinelClientSettings"/> (the pasted connection string cannot set the heartbeat that paces its
/// reconnects; the `failover` benchmark's part d measures the string against these settings). Writes like
/// the scripts: <c>&lt;prefix&gt;:&lt;n&gt; = n</c> one at a time, the same n again 10 ms after a failure.
/// </summary>
internal sealed class StackExchangeClient : IFailoverClient
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(10);

    private readonly ConnectionMultiplexer _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationToken _stopping;
    private readonly Lock _lock = new();
    private readonly Task _loop;
    private Task? _stopped;

    private StackExchangeClient(ConnectionMultiplexer connection, ClientWrites writes)
    {
        _connection = connection;
        _stopping = _stop.Token;
        Writes = writes;
        _loop = Task.Run(RunAsync);
    }

    public const string LibraryName = "StackExchange.Redis";

    public string Name => LibraryName;

    public ClientWrites Writes { get; }

    public bool StoppedByItself => _loop.IsCompleted && !_stopping.IsCancellationRequested;

    public Task<string> HowItStoppedAsync() =>
        Task.FromResult($"its loop ended: {_loop.Exception?.GetBaseException().Message ?? "without an error"}");

    public static async Task<StackExchangeClient> StartAsync(Credentials credentials, string prefix)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(SentinelClientSettings.Create(credentials.Sentinels, credentials.MasterName, credentials.Password)).ConfigureAwait(false);
        return new StackExchangeClient(connection, new ClientWrites(prefix));
    }

    public Task StopAsync()
    {
        lock (_lock)
        {
            return _stopped ??= StopLoopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            // Only now, with the loop ended, is nothing left that uses the connection or the token.
            await _connection.DisposeAsync().ConfigureAwait(false);
            _stop.Dispose();
        }
    }

    private async Task StopLoopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var db = _connection.GetDatabase();
        var n = 1L;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await db.StringSetAsync(Writes.Key(n), n).ConfigureAwait(false);
                Writes.Acknowledged(n, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                n++;
            }
            catch (Exception e) when (e is RedisException or TimeoutException || (e is ObjectDisposedException && !_stopping.IsCancellationRequested))
            {
                // ObjectDisposedException: the library tearing down a physical connection during a failover
                // ("Connection is being disposed"), a failed write like any other (see SequenceWriter).
                Writes.Failed(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), $"{e.GetType().Name}: {e.Message}");
                try
                {
                    await Task.Delay(RetryPause, _stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
