using System.Collections.Concurrent;
using System.Net.Sockets;
using Redoubt.Core.Platform;

namespace Redoubt.Core.Redis;

/// <summary>
/// The control plane's connections to Redis nodes and Sentinels: one per endpoint, reused across passes, one
/// request at a time, every request bounded by a timeout. A connection that times out or breaks is dropped and
/// made again on next use, so a frozen node costs one timeout and never blocks the next pass.
/// </summary>
public sealed class RedisAdmin : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Address, NodeKind Kind), Slot> _slots = new();
    private readonly TimeSpan _timeout;
    private string? _password;

    public RedisAdmin(TimeSpan? timeout = null)
    {
        _timeout = timeout ?? TimeSpan.FromMilliseconds(1000);
    }

    /// <summary>Sets the password used by new connections; existing ones are dropped when it changes.</summary>
    public void UsePassword(string? password)
    {
        if (password == _password)
        {
            return;
        }

        _password = password;
        foreach (var key in _slots.Keys)
        {
            if (_slots.TryRemove(key, out var slot))
            {
                _ = slot.CloseAsync();
            }
        }
    }

    public Task<RespValue> ExecuteAsync(string address, NodeKind kind, string command, params object[] arguments) =>
        ExecuteAsync(address, kind, _timeout, command, arguments);

    public async Task<RespValue> ExecuteAsync(string address, NodeKind kind, TimeSpan timeout, string command, params object[] arguments) =>
        (await PipelineAsync(address, kind, [[command, .. arguments]], timeout).ConfigureAwait(false))[0];

    /// <summary>
    /// Sends the commands in one write and reads their replies. Used where two commands must arrive together,
    /// such as SENTINEL MONITOR and the auth-pass that makes its first PING succeed.
    /// </summary>
    public async Task<IReadOnlyList<RespValue>> PipelineAsync(string address, NodeKind kind, IReadOnlyList<object[]> commands, TimeSpan? timeout = null)
    {
        var limit = timeout ?? _timeout;
        var slot = _slots.GetOrAdd((address, kind), _ => new Slot());
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await slot.Gate.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            throw new NodeUnreachableException($"{address} is busy with an earlier command (waited {limit.TotalMilliseconds:F0} ms)", e);
        }

        try
        {
            slot.Connection ??= await OpenAsync(address, kind, deadline.Token).ConfigureAwait(false);
            var replies = await slot.Connection.PipelineAsync(commands, deadline.Token).ConfigureAwait(false);
            if (replies.OfType<RedisReplyException>().FirstOrDefault() is { } error)
            {
                throw error;
            }

            return [.. replies.Cast<RespValue>()];
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or NodeUnreachableException)
        {
            await slot.DropAsync().ConfigureAwait(false);
            throw new NodeUnreachableException(e is OperationCanceledException ? $"{address} did not answer within {limit.TotalMilliseconds:F0} ms" : $"{address}: {e.Message}", e);
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async Task<RespConnection> OpenAsync(string address, NodeKind kind, CancellationToken cancellationToken)
    {
        var (host, port) = Endpoints.Parse(address);
        var connection = await RespConnection.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        if (_password is null)
        {
            return connection;
        }

        var replies = await connection.PipelineAsync([["AUTH", _password]], cancellationToken).ConfigureAwait(false);
        // A node with auth off refuses AUTH with "called without any password configured"; it needs none.
        if (replies[0] is RedisReplyException refused && !refused.Message.Contains("without any password", StringComparison.Ordinal))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new RedisReplyException($"{address} ({kind}) refused the password: {refused.Message}");
        }

        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        var all = _slots.Values.ToArray();
        _slots.Clear();
        await Task.WhenAll(all.Select(s => s.CloseAsync())).ConfigureAwait(false);
    }

    private sealed class Slot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public RespConnection? Connection { get; set; }

        public async Task DropAsync()
        {
            if (Connection is { } connection)
            {
                Connection = null;
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        public async Task CloseAsync()
        {
            await Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await DropAsync().ConfigureAwait(false);
            }
            finally
            {
                Gate.Release();
            }
        }
    }
}
