using System.Diagnostics;
using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace Redoubt.Client;

/// <summary>
/// Watches every Sentinel and the master's connection, and moves the managed multiplexer to the master the
/// Sentinels name as soon as they name a new one.
/// </summary>
internal sealed class MasterFollower : IAsyncDisposable
{
    private const string SwitchMasterChannel = "+switch-master";

    private readonly ConnectionMultiplexer _managed;
    private readonly List<ConnectionMultiplexer> _sentinels;
    private readonly string _masterName;
    private readonly RedoubtConnectionOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private int _polling;

    private MasterFollower(ConnectionMultiplexer managed, List<ConnectionMultiplexer> sentinels, string masterName, RedoubtConnectionOptions options)
    {
        _managed = managed;
        _sentinels = sentinels;
        _masterName = masterName;
        _options = options;
    }

    public event EventHandler<MasterFollowedEventArgs>? Followed;

    public static async Task<MasterFollower> StartAsync(ConnectionMultiplexer managed, IReadOnlyList<string> sentinels, string masterName, string? password, RedoubtConnectionOptions options, CancellationToken cancellationToken)
    {
        var connections = new List<ConnectionMultiplexer>();
        try
        {
            // One connection per Sentinel: the library subscribes a channel on one server of a multiplexer only, and
            // during a fast failover only the Sentinel that leads it announces the new master.
            foreach (var sentinel in sentinels)
            {
                var configuration = SentinelClientSettings.Apply(new ConfigurationOptions { EndPoints = { sentinel }, Password = password }, options);
                connections.Add(await ConnectionMultiplexer.SentinelConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        var follower = new MasterFollower(managed, connections, masterName, options);
        foreach (var connection in connections)
        {
            try
            {
                await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(SwitchMasterChannel), follower.OnSwitchMaster).ConfigureAwait(false);
            }
            catch (RedisConnectionException)
            {
                // That Sentinel is down now; the subscription is registered and sent again when it reconnects.
            }
        }

        managed.ConnectionFailed += follower.OnConnectionFailed;
        return follower;
    }

    /// <summary>The connected node the multiplexer treats as master, if any.</summary>
    public static EndPoint? PrimaryOf(IConnectionMultiplexer multiplexer) =>
        multiplexer.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica && s.ServerType != ServerType.Sentinel)?.EndPoint;

    private void OnSwitchMaster(RedisChannel channel, RedisValue message)
    {
        // "<master name> <old ip> <old port> <new ip> <new port>"
        var parts = ((string?)message ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 5 || parts[0] != _masterName || !int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || !IPAddress.TryParse(parts[3], out var address))
        {
            return;
        }

        _ = FollowAsync(new IPEndPoint(address, port), SwitchMasterChannel, Stopwatch.GetTimestamp());
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive || e.EndPoint is not { } failed || _stop.IsCancellationRequested || IsKnownReplica(failed))
        {
            return;
        }

        _ = PollSentinelsAsync(failed);
    }

    private bool IsKnownReplica(EndPoint endPoint)
    {
        try
        {
            return _managed.GetServer(endPoint).IsReplica;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Asks every Sentinel, every few milliseconds and for a bounded time, until one names a master other than <paramref name="failed"/>.</summary>
    private async Task PollSentinelsAsync(EndPoint failed)
    {
        if (Interlocked.Exchange(ref _polling, 1) == 1)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            while (!_stop.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < _options.SentinelPollLimit)
            {
                if (PrimaryOf(_managed) is { } current && !current.Equals(failed))
                {
                    return;
                }

                var answers = await Task.WhenAll(_sentinels.Select(AskAsync)).ConfigureAwait(false);
                if (answers.FirstOrDefault(a => a is not null && !a.Equals(failed)) is { } named)
                {
                    await FollowAsync(named, "poll", started).ConfigureAwait(false);
                    return;
                }

                await Task.Delay(_options.SentinelPollInterval, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Disposed.
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    private async Task<EndPoint?> AskAsync(ConnectionMultiplexer sentinel)
    {
        var server = sentinel.GetServers().FirstOrDefault(s => s.IsConnected);
        if (server is null)
        {
            return null;
        }

        try
        {
            return await server.SentinelGetMasterAddressByNameAsync(_masterName).WaitAsync(_options.CommandTimeout, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // A Sentinel that does not know the master (it stands aside during a fast failover) or does not answer.
            return null;
        }
    }

    /// <summary>Makes the multiplexer re-read the roles of its nodes until it writes to <paramref name="master"/>, for a bounded time.</summary>
    private async Task FollowAsync(EndPoint master, string trigger, long since)
    {
        if (!_managed.GetEndPoints().Contains(master))
        {
            // A node the multiplexer has never seen can only be added by the library's own Sentinel handling.
            return;
        }

        var limit = _options.ConnectTimeout * 4;
        var started = Stopwatch.GetTimestamp();
        var acted = false;
        try
        {
            while (!_stop.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < limit)
            {
                if (master.Equals(PrimaryOf(_managed)) && CountPrimaries() == 1)
                {
                    // Nothing to report when the library had already moved by itself (a reconnect re-reads the roles).
                    if (acted)
                    {
                        Followed?.Invoke(this, new MasterFollowedEventArgs(master, trigger, Stopwatch.GetElapsedTime(since)));
                    }

                    return;
                }

                // Re-reads every node's role; returns false at once when a reconfigure is already running.
                acted = true;
                await _managed.ConfigureAsync().ConfigureAwait(false);
                if (!master.Equals(PrimaryOf(_managed)))
                {
                    await Task.Delay(_options.SentinelPollInterval, _stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (ObjectDisposedException)
        {
            // The application disposed the multiplexer.
        }
    }

    private int CountPrimaries() => _managed.GetServers().Count(s => s.IsConnected && !s.IsReplica && s.ServerType != ServerType.Sentinel);

    public async ValueTask DisposeAsync()
    {
        _managed.ConnectionFailed -= OnConnectionFailed;
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var sentinel in _sentinels)
        {
            await sentinel.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
