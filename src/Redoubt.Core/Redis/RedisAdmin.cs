using System.Collections.Concurrent;
using System.Net;
using Redoubt.Core.Platform;
using StackExchange.Redis;

namespace Redoubt.Core.Redis;

/// <summary>
/// The control plane's connections to Redis nodes and Sentinels: one multiplexer per endpoint, reused across
/// passes, every command bounded by a timeout so a frozen node can never stall a reconcile pass.
/// </summary>
public sealed class RedisAdmin : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Address, NodeKind Kind), Lazy<Task<ConnectionMultiplexer>>> _connections = new();
    private readonly TimeSpan _timeout;
    private string? _password;

    public RedisAdmin(TimeSpan? timeout = null)
    {
        _timeout = timeout ?? TimeSpan.FromMilliseconds(1000);
    }

    public TimeSpan Timeout => _timeout;

    /// <summary>Sets the password used for new connections; existing ones are dropped when it changes.</summary>
    public void UsePassword(string? password)
    {
        if (password == _password)
        {
            return;
        }

        _password = password;
        var old = _connections.ToArray();
        _connections.Clear();
        foreach (var (_, connection) in old)
        {
            _ = CloseAsync(connection);
        }
    }

    public Task<RedisResult> ExecuteAsync(string address, NodeKind kind, string command, params object[] arguments) =>
        ExecuteAsync(address, kind, _timeout, command, arguments);

    public async Task<RedisResult> ExecuteAsync(string address, NodeKind kind, TimeSpan timeout, string command, params object[] arguments)
    {
        var connection = await GetAsync(address, kind).WaitAsync(timeout).ConfigureAwait(false);
        var server = connection.GetServer(ToEndPoint(address));
        if (!server.IsConnected)
        {
            throw new NodeUnreachableException(address);
        }

        return await server.ExecuteAsync(command, arguments).WaitAsync(timeout).ConfigureAwait(false);
    }

    public bool IsConnected(string address, NodeKind kind) =>
        _connections.TryGetValue((address, kind), out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully
        && lazy.Value.Result.GetServer(ToEndPoint(address)).IsConnected;

    /// <summary>Drops connections to addresses no longer in use, so a deleted resource leaves nothing behind.</summary>
    public void Forget(IEnumerable<string> keep)
    {
        var wanted = keep.ToHashSet(StringComparer.Ordinal);
        foreach (var key in _connections.Keys)
        {
            if (!wanted.Contains(key.Address) && _connections.TryRemove(key, out var connection))
            {
                _ = CloseAsync(connection);
            }
        }
    }

    private Task<ConnectionMultiplexer> GetAsync(string address, NodeKind kind) =>
        _connections.GetOrAdd((address, kind), key => new Lazy<Task<ConnectionMultiplexer>>(() => ConnectAsync(key.Address, key.Kind))).Value;

    private Task<ConnectionMultiplexer> ConnectAsync(string address, NodeKind kind)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { ToEndPoint(address) },
            Password = _password,
            AllowAdmin = true,
            AbortOnConnectFail = false,
            ConnectTimeout = (int)_timeout.TotalMilliseconds,
            SyncTimeout = (int)_timeout.TotalMilliseconds,
            AsyncTimeout = (int)_timeout.TotalMilliseconds,
            ConnectRetry = 1,
            KeepAlive = 5,
            ClientName = "redoubt",
            // The control plane talks to one endpoint at a time; none of the multi-node discovery applies.
            TieBreaker = "",
            ConfigurationChannel = "",
            CommandMap = kind == NodeKind.Sentinel ? CommandMap.Sentinel : CommandMap.Default,
            ReconnectRetryPolicy = new LinearRetry(250),
        };
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    private static EndPoint ToEndPoint(string address)
    {
        var (host, port) = Endpoints.Parse(address);
        return IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
    }

    private static async Task CloseAsync(Lazy<Task<ConnectionMultiplexer>> connection)
    {
        if (!connection.IsValueCreated)
        {
            return;
        }

        try
        {
            var multiplexer = await connection.Value.ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // A connection that never came up has nothing to close.
        }
    }

    public async ValueTask DisposeAsync()
    {
        var all = _connections.Values.ToArray();
        _connections.Clear();
        await Task.WhenAll(all.Select(CloseAsync)).ConfigureAwait(false);
    }
}
