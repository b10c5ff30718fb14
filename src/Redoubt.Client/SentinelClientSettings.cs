using StackExchange.Redis;

namespace Redoubt.Client;

/// <summary>
/// StackExchange.Redis settings for a client that finds the master through the Sentinels and must follow a
/// failover as soon as the server side has completed it. The library's defaults suit a master that rarely moves:
/// a 5 s connect timeout that also bounds every reconfigure, a one-second heartbeat that paces reconnects and
/// timeout checks, reconnect back-off that starts at half the connect timeout, and commands queued behind a dead
/// master until they time out. Each default below is changed for one of those reasons.
/// </summary>
public static class SentinelClientSettings
{
    /// <summary>Options for <c>ConnectionMultiplexer.ConnectAsync</c>: the Sentinels, the master name and the tuned settings.</summary>
    public static ConfigurationOptions Create(IEnumerable<string> sentinels, string masterName, string? password, RedoubtConnectionOptions? tuning = null)
    {
        ArgumentNullException.ThrowIfNull(sentinels);
        ArgumentException.ThrowIfNullOrEmpty(masterName);
        var options = new ConfigurationOptions { ServiceName = masterName, Password = password };
        foreach (var sentinel in sentinels)
        {
            options.EndPoints.Add(sentinel);
        }

        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException("at least one Sentinel address (host:port) is needed", nameof(sentinels));
        }

        return Apply(options, tuning);
    }

    /// <summary>Applies the tuned settings to <paramref name="options"/> (its endpoints, service name and credentials are kept).</summary>
    public static ConfigurationOptions Apply(ConfigurationOptions options, RedoubtConnectionOptions? tuning = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var t = tuning ?? new RedoubtConnectionOptions();
        // A Sentinel or a node that is down at start-up must not make the application fail to start; it connects when it can.
        options.AbortOnConnectFail = false;
        // Bounds how long a reconfigure waits for a node that accepts connections but does not answer (a frozen master).
        options.ConnectTimeout = Milliseconds(t.ConnectTimeout);
        options.SyncTimeout = Milliseconds(t.CommandTimeout);
        options.AsyncTimeout = Milliseconds(t.CommandTimeout);
        // Reconnect attempts and timeout checks run on the heartbeat: at the default 1 s they add up to a second to a failover.
        options.HeartbeatInterval = t.Heartbeat;
        options.ReconnectRetryPolicy = new LinearRetry(Milliseconds(t.Heartbeat));
        // Idle connections (the Sentinel subscriptions above all) are pinged often enough to notice a silent peer.
        options.KeepAlive = Math.Max(1, (int)t.KeepAlive.TotalSeconds);
        // Re-read each node's role often, so a demoted master is noticed even when nothing announces it.
        options.ConfigCheckSeconds = Math.Max(1, (int)t.RoleCheck.TotalSeconds);
        // A command issued while no master is reachable fails at once instead of waiting, bound to the dead master, for
        // its timeout: the caller's retry then goes to the new master as soon as there is one.
        options.BacklogPolicy = t.QueueWhileDisconnected ? BacklogPolicy.Default : BacklogPolicy.FailFast;
        // Sentinel decides who the master is; the tie-breaker key would only add writes to every node.
        options.TieBreaker = "";
        if (t.CertificateAuthorityFile is { } authority)
        {
            // The resource's own CA, not the machine's roots: the nodes' certificates are signed by it alone.
            options.Ssl = true;
            options.TrustIssuer(authority);
        }

        return options;
    }

    private static int Milliseconds(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);
}
