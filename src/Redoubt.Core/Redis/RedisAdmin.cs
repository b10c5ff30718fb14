using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Redoubt.Core.Access;
using Redoubt.Core.Platform;
using Redoubt.Core.Tls;

namespace Redoubt.Core.Redis;

/// <summary>
/// The control plane's connections to Redis nodes and Sentinels: one per endpoint, reused across passes, one
/// request at a time, every request bounded by a timeout. A connection that times out or breaks is dropped and
/// made again on next use, so a frozen node costs one timeout and never blocks the next pass.
/// Connections log in as Redoubt's admin user. A node started before ACL users has no such user yet: it is reached
/// the way it always was (the application password, or none), until the healer has added the users; such a legacy
/// connection is dropped as soon as it is refused a command, and the next one logs in as the admin.
/// </summary>
public sealed class RedisAdmin : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Address, NodeKind Kind), Slot> _slots = new();
    private readonly TimeSpan _timeout;
    private ResourceSecrets _secrets = ResourceSecrets.None;
    private ServerTrust? _tls;

    public RedisAdmin(TimeSpan? timeout = null)
    {
        _timeout = timeout ?? TimeSpan.FromMilliseconds(1000);
    }

    /// <summary>
    /// Sets the credentials used by new connections. Existing ones are dropped only when the password they logged in
    /// with changed: all of them for a new admin password, the legacy ones for a new application password. A rotation
    /// of the application password, or the end of its grace, leaves the admin connections open: reopening every one at
    /// once is a storm of connects and AUTHs on a loaded machine, and reads that time out in it leave a pass blind.
    /// </summary>
    public void UseSecrets(ResourceSecrets secrets)
    {
        var previous = _secrets;
        _secrets = secrets;
        var adminChanged = secrets.Redoubt?.Admin != previous.Redoubt?.Admin;
        var applicationChanged = secrets.Application != previous.Application;
        foreach (var (key, slot) in _slots)
        {
            if ((adminChanged || (applicationChanged && slot.Connection?.LoggedInAsLegacy == true)) && _slots.TryRemove(key, out var removed))
            {
                _ = removed.CloseAsync();
            }
        }
    }

    /// <summary>Sets how new connections reach the nodes: TLS against the resource's CA, or plain TCP (null). Existing ones are dropped when it changes.</summary>
    public void UseTls(ServerTrust? tls)
    {
        if (tls?.Thumbprint == _tls?.Thumbprint)
        {
            return;
        }

        _tls = tls;
        foreach (var key in _slots.Keys)
        {
            if (_slots.TryRemove(key, out var slot))
            {
                _ = slot.CloseAsync();
            }
        }
    }

    /// <summary>How connections reach the nodes now (see <see cref="UseTls"/>); fresh connections made elsewhere follow it.</summary>
    public ServerTrust? Tls => _tls;

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
            Volatile.Write(ref slot.AnsweredAt, Stopwatch.GetTimestamp());
            if (replies.OfType<RedisReplyException>().FirstOrDefault() is { } error)
            {
                if (slot.Connection.LoggedInAsLegacy && error.Message.StartsWith("NOPERM", StringComparison.Ordinal))
                {
                    // The application user was limited under this connection: the admin user exists by now.
                    await slot.DropAsync().ConfigureAwait(false);
                }

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

    /// <summary>
    /// Whether the connection to <paramref name="address"/> is open and answered a command within
    /// <paramref name="span"/>: an error reply counts too, since it came over the connection.
    /// </summary>
    public bool AnsweredWithin(string address, NodeKind kind, TimeSpan span) =>
        _slots.TryGetValue((address, kind), out var slot) && slot.Connection is not null
        && Stopwatch.GetElapsedTime(Volatile.Read(ref slot.AnsweredAt)) < span;

    private async Task<RespConnection> OpenAsync(string address, NodeKind kind, CancellationToken cancellationToken)
    {
        var secrets = _secrets;
        var (host, port) = Endpoints.Parse(address);
        var connection = await RespConnection.ConnectAsync(host, port, _tls, cancellationToken).ConfigureAwait(false);
        try
        {
            if (secrets.Redoubt is { } own)
            {
                var replies = await connection.PipelineAsync([["AUTH", AclUsers.Admin, own.Admin]], cancellationToken).ConfigureAwait(false);
                if (replies[0] is not RedisReplyException refused)
                {
                    return connection;
                }

                if (!refused.Message.StartsWith("WRONGPASS", StringComparison.Ordinal))
                {
                    throw new RedisReplyException($"{address} ({kind}) refused Redoubt's admin user: {refused.Message}");
                }

                // No admin user (a node started before ACL users): the way in it always had.
                connection.LoggedInAsLegacy = true;
            }

            if (secrets.Application is { } password)
            {
                var replies = await connection.PipelineAsync([["AUTH", password]], cancellationToken).ConfigureAwait(false);
                // A node with auth off refuses AUTH with "called without any password configured"; it needs none.
                if (replies[0] is RedisReplyException refused && !refused.Message.Contains("without any password", StringComparison.Ordinal))
                {
                    throw new RedisReplyException($"{address} ({kind}) refused the password: {refused.Message}");
                }
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes every connection that did not log in as the admin user, once the users are in place.</summary>
    public async Task DropLegacyConnectionsAsync()
    {
        foreach (var (key, slot) in _slots)
        {
            if (slot.Connection?.LoggedInAsLegacy == true && _slots.TryRemove(key, out var removed))
            {
                await removed.CloseAsync().ConfigureAwait(false);
            }
        }
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

        /// <summary>When the connection last answered (<see cref="Stopwatch.GetTimestamp"/>); 0 before it did.</summary>
        public long AnsweredAt;

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
