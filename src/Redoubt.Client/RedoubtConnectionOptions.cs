namespace Redoubt.Client;

/// <summary>How quickly a <see cref="RedoubtConnection"/> gives up on a node and looks for the new master.</summary>
public sealed class RedoubtConnectionOptions
{
    /// <summary>Connect timeout; also the longest a reconfigure waits for a node that does not answer.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Timeout of each command.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>How often connections are checked, timed-out commands failed, and dropped connections retried.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often an idle connection is pinged.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often each node's role is re-read on its connection.</summary>
    public TimeSpan RoleCheck { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After the master's connection fails, how often the Sentinels are asked who the master is.</summary>
    public TimeSpan SentinelPollInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How long the Sentinels are polled after a failure before the library's own once-a-second retry is left to it.</summary>
    public TimeSpan SentinelPollLimit { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Queue commands while no master is reachable (the library's default) instead of failing them at once. Queued
    /// commands stay bound to the dead master until they time out, so a failover costs at least the command timeout.
    /// </summary>
    public bool QueueWhileDisconnected { get; init; }

    /// <summary>
    /// For a resource with TLS on: the file of its CA certificate (<c>redoubt credentials NAME</c> names it). Connections
    /// to the Sentinels and the nodes then use TLS and accept only certificates that CA signed for the address
    /// connected to. Null (the default) connects in clear.
    /// </summary>
    public string? CertificateAuthorityFile { get; init; }
}
