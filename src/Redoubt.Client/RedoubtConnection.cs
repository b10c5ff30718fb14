using System.Net;
using StackExchange.Redis;

namespace Redoubt.Client;

/// <summary>
/// A StackExchange.Redis connection to the master of a Redoubt (or any Sentinel-watched) Redis that follows a
/// failover as soon as the Sentinels have completed it.
/// </summary>
/// <remarks>
/// Most of the gain is in the settings (<see cref="SentinelClientSettings"/>): Sentinel closes the client connections
/// of the replica it promotes, and a multiplexer that reconnects within a heartbeat re-reads the roles and writes to
/// the new master at once. The library's own Sentinel handling is the slow part for a failover that completes in a
/// second: it
/// listens for <c>+switch-master</c> on one Sentinel only (and a Sentinel that stood aside during a fast failover
/// announces nothing), and after the master's connection fails it asks the Sentinels again only once a second.
/// This connection adds what is missing: it listens on every Sentinel, and polls them every few milliseconds
/// from the moment the master's connection fails until one names a new master; then it makes the multiplexer
/// re-read the roles of the nodes it knows. Sentinel stays the only authority on who the master is.
/// </remarks>
public sealed class RedoubtConnection : IAsyncDisposable, IDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly MasterFollower _follower;

    private RedoubtConnection(ConnectionMultiplexer multiplexer, MasterFollower follower)
    {
        _multiplexer = multiplexer;
        _follower = follower;
    }

    /// <summary>The multiplexer the application uses, as with any StackExchange.Redis connection.</summary>
    public IConnectionMultiplexer Multiplexer => _multiplexer;

    /// <summary>Raised after the multiplexer was moved to a new master (on a thread-pool thread).</summary>
    public event EventHandler<MasterFollowedEventArgs>? MasterFollowed
    {
        add => _follower.Followed += value;
        remove => _follower.Followed -= value;
    }

    /// <summary>Connects through <paramref name="sentinels"/> ("host:port") to the master they know as <paramref name="masterName"/>.</summary>
    /// <param name="password">The password of the nodes and Sentinels (Redoubt uses one for both); null when auth is off.</param>
    public static async Task<RedoubtConnection> ConnectAsync(IEnumerable<string> sentinels, string masterName, string? password, RedoubtConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sentinels);
        var tuning = options ?? new RedoubtConnectionOptions();
        var addresses = sentinels.ToList();
        var configuration = SentinelClientSettings.Create(addresses, masterName, password, tuning);
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var follower = await MasterFollower.StartAsync(multiplexer, addresses, masterName, password, tuning, cancellationToken).ConfigureAwait(false);
            return new RedoubtConnection(multiplexer, follower);
        }
        catch
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public IDatabase GetDatabase(int db = -1) => _multiplexer.GetDatabase(db);

    /// <summary>The master the multiplexer writes to now, or null while it has none.</summary>
    public EndPoint? CurrentMaster => MasterFollower.PrimaryOf(_multiplexer);

    public async ValueTask DisposeAsync()
    {
        await _follower.DisposeAsync().ConfigureAwait(false);
        await _multiplexer.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>How the connection learned of the new master: a Sentinel's announcement, or polling after a failure.</summary>
public sealed class MasterFollowedEventArgs(EndPoint master, string trigger, TimeSpan took) : EventArgs
{
    public EndPoint Master { get; } = master;

    /// <summary>"+switch-master" or "poll".</summary>
    public string Trigger { get; } = trigger;

    /// <summary>From the trigger to the multiplexer writing to <see cref="Master"/>.</summary>
    public TimeSpan Took { get; } = took;
}
