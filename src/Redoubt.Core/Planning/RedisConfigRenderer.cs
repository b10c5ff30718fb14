using Redoubt.Core.Access;
using Redoubt.Core.Platform;

namespace Redoubt.Core.Planning;

/// <summary>Renders redis.conf and sentinel.conf for a node; the one place either platform gets its configuration from.</summary>
public static class RedisConfigRenderer
{
    public static string RenderRedis(RedisNodeConfig config)
    {
        var plan = config.Plan;
        var w = new ConfigWriter()
            .Comment($"Rendered by Redoubt for {plan.Key} {config.Node.Name} (zone {config.Node.Zone}). Redoubt rewrites this file; edit the resource instead.")
            .Line("bind", [.. config.Bind]);
        WritePorts(w, config.Port, config.Tls);
        w
            // Auth is on by default; with auth off the resource only listens on its zone address unless external.
            .Line("protected-mode", plan.Spec.AuthEnabled || !plan.Spec.External ? "no" : "yes")
            .Line("daemonize", "no")
            .Line("dir", config.DataDirectory)
            .Line("logfile", config.LogFile ?? "")
            .Line("dbfilename", "dump.rdb")
            .Line("appendfilename", "appendonly.aof")
            .Line("appendfsync", "everysec")
            .Line("replica-read-only", "yes")
            .Line("replica-serve-stale-data", "yes")
            // Diskless sync keeps a resync from touching the disk twice; the replica loads straight from the socket.
            .Line("repl-diskless-sync", "yes")
            .Line("repl-diskless-sync-delay", 0)
            .Line("repl-backlog-size", "16mb")
            .Line("tcp-keepalive", 30)
            .Line("latency-tracking", "yes");
        foreach (var setting in plan.RedisSettings)
        {
            w.Line(setting.Key, setting.Value);
        }

        if (config.AnnounceHost is { } announce)
        {
            w.Line("replica-announce-ip", announce);
        }

        if (config.Secrets is { } secrets)
        {
            WriteRedisAuth(w, secrets);
        }

        foreach (var include in config.Includes)
        {
            w.Line("include", include);
        }

        if (config.ParkHost is { } parkHost && config.ParkPort is { } parkPort)
        {
            w.Comment("Boots as a replica of itself: never a master until Redoubt (through Sentinel) says so.")
             .Line("replicaof", parkHost, ParkPort(parkPort, config.Tls));
        }

        return w.ToString();
    }

    public static string RenderSentinel(SentinelNodeConfig config)
    {
        var plan = config.Plan;
        var w = new ConfigWriter()
            .Comment($"Rendered by Redoubt for {plan.Key} {config.Node.Name} (zone {config.Node.Zone}). Sentinel rewrites this file at run time.")
            .Line("bind", [.. config.Bind]);
        WritePorts(w, config.Port, config.Tls);
        w.Line("daemonize", "no")
            .Line("dir", config.Directory)
            .Line("logfile", config.LogFile ?? "");
        if (config.MyId is { } myId)
        {
            w.Line("sentinel", "myid", myId);
        }

        w.Line("sentinel", "deny-scripts-reconfig", "yes")
            .Line("sentinel", "resolve-hostnames", "no");
        if (config.AnnounceHost is { } announce)
        {
            w.Line("sentinel", "announce-ip", announce).Line("sentinel", "announce-port", config.Port);
        }

        if (config.Secrets is { } secrets)
        {
            WriteSentinelAuth(w, secrets);
        }

        foreach (var include in config.Includes)
        {
            w.Line("include", include);
        }

        if (config.Master is { } master)
        {
            w.Line("sentinel", "monitor", plan.MasterName, master.Host, master.Port, plan.Spec.Sentinel.Quorum);
            if (config.Secrets?.SentinelLogin is { Password: { } masterPassword } login)
            {
                if (login.User is { } user)
                {
                    w.Line("sentinel", "auth-user", plan.MasterName, user);
                }

                w.Line("sentinel", "auth-pass", plan.MasterName, masterPassword);
            }

            foreach (var setting in plan.SentinelSettings)
            {
                w.Line("sentinel", setting.Key, plan.MasterName, setting.Value);
            }
        }

        return w.ToString();
    }

    /// <summary>
    /// Where a node parks. In clear, its own address: the link to itself never completes. With TLS, its own host at port
    /// 0, which refuses at once: a TLS replica that reaches itself waits for its own reply to the replication handshake
    /// in a blocking read (Redis 7.0), and answers nobody for the 5 s of repl-syncio-timeout, again on every retry.
    /// </summary>
    public static int ParkPort(int port, TlsFiles? tls) => tls is null ? port : 0;

    /// <summary>
    /// The listening port: plain, or, for a TLS resource, TLS on the same port number with the plain port closed
    /// (port 0), so an address means the same node either way and nothing answers in clear. tls-replication makes a
    /// replica's link to its master, and a Sentinel's links to nodes and to its peers, TLS too.
    /// </summary>
    private static void WritePorts(ConfigWriter w, int port, TlsFiles? tls)
    {
        if (tls is null)
        {
            w.Line("port", port);
            return;
        }

        w.Line("port", 0).Line("tls-port", port);
        if (tls.CertificateFile is { } certificate && tls.KeyFile is { } key)
        {
            w.Line("tls-cert-file", certificate).Line("tls-key-file", key);
        }

        w.Line("tls-ca-cert-file", tls.AuthorityFile)
            .Line("tls-replication", "yes")
            // Clients prove who they are with a password (an ACL user), as on managed clouds that offer TLS: requiring
            // client certificates would make every application hold one from the resource's CA. A client that does
            // present one (a replica, a Sentinel) must present one the CA signed.
            .Line("tls-auth-clients", "optional")
            .Line("tls-protocols", "TLSv1.2 TLSv1.3");
    }

    /// <summary>The auth lines of a Redis node, for platforms that keep them in a file of their own (a Secret).</summary>
    public static string RenderRedisAuth(ResourceSecrets secrets) => WriteRedisAuth(new ConfigWriter(), secrets).ToString();

    /// <summary>The auth lines of a Sentinel (its users, and how it authenticates to its peers).</summary>
    public static string RenderSentinelAuth(ResourceSecrets secrets) => WriteSentinelAuth(new ConfigWriter(), secrets).ToString();

    /// <summary>
    /// The users of a Redis node (passwords as SHA-256 hashes) and how it authenticates to its master as a replica.
    /// Without users of Redoubt's own, the one application password does everything (requirepass, masterauth).
    /// </summary>
    private static ConfigWriter WriteRedisAuth(ConfigWriter w, ResourceSecrets secrets)
    {
        if (secrets.Redoubt is not { } own)
        {
            return secrets.Application is { } password ? w.Line("requirepass", password).Line("masterauth", password) : w;
        }

        foreach (var user in AclUsers.For(NodeKind.Redis, secrets))
        {
            w.Line("user", [.. user.ConfigArguments()]);
        }

        return w.Line("masteruser", AclUsers.Replication).Line("masterauth", own.Replication);
    }

    /// <summary>
    /// The users of a Sentinel and how it authenticates to its peers (sentinel-user/sentinel-pass). Without users of
    /// Redoubt's own, the Sentinel authenticates to its peers with its own requirepass: one password for everything.
    /// </summary>
    private static ConfigWriter WriteSentinelAuth(ConfigWriter w, ResourceSecrets secrets)
    {
        if (secrets.Redoubt is not { } own)
        {
            return secrets.Application is { } password ? w.Line("requirepass", password) : w;
        }

        foreach (var user in AclUsers.For(NodeKind.Sentinel, secrets))
        {
            w.Line("user", [.. user.ConfigArguments()]);
        }

        return w.Line("sentinel", "sentinel-user", AclUsers.Sentinel).Line("sentinel", "sentinel-pass", own.Sentinel);
    }

    /// <summary>A 40-hex-digit Sentinel id derived from the resource and the Sentinel's name: stable across restarts, distinct across resources.</summary>
    public static string SentinelId(string resourceKey, string uid, string sentinelName) =>
        ContentHash.Hex($"{resourceKey}/{uid}/{sentinelName}", 40);
}
