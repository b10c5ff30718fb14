using Redoubt.Core.Platform;

namespace Redoubt.Core.Access;

/// <summary>
/// The users of every Redis node and Sentinel, and what each may do. The rules are written exactly as Redis 7.0
/// describes them back in ACL LIST (an integration test checks the round trip), so drift is a plain comparison.
/// </summary>
public static class AclUsers
{
    /// <summary>
    /// The application user is Redis's <c>default</c>, limited: clients that send only a password (AUTH password, a
    /// connection string without a user) are this user, so existing clients keep working after the migration.
    /// </summary>
    public const string Application = "default";
    public const string Admin = "redoubt-admin";
    public const string Replication = "redoubt-replication";
    public const string Sentinel = "redoubt-sentinel";

    /// <summary>
    /// Applications on a Redis node: every key, channel and command but @admin (CONFIG, SHUTDOWN, REPLICAOF, FAILOVER,
    /// ACL changes, CLIENT PAUSE/KILL/LIST, DEBUG, MODULE, MONITOR, SAVE/BGSAVE, …), and MIGRATE/RESTORE-ASKING, which
    /// reach other servers; ROLE comes back, clients ask it to find the master. INFO, KEYS, SORT, FLUSHDB/FLUSHALL,
    /// scripting, pub/sub, CLIENT SETNAME/ID/INFO and HELLO are outside @admin and stay.
    ///
    /// PUBLISH is the exception: the Sentinels read their peers' hellos from every Redis node's
    /// <c>__sentinel__:hello</c> channel and take the master a hello names whenever its epoch is higher than theirs, so a
    /// single PUBLISH there by any application would send every Sentinel, and every client that asks them, to an
    /// address of the application's choosing (tried: all three followed within a second). An ACL cannot deny one
    /// channel, so PUBLISH comes back in a selector that allows every channel but that one (<see cref="AllChannelsBut"/>);
    /// SUBSCRIBE and PSUBSCRIBE keep every channel and pattern. Written as Redis describes it in ACL LIST, which the
    /// drift check compares it with.
    /// </summary>
    public static readonly string ApplicationOnRedis =
        $"~* &* +@all -@admin -publish -restore-asking -migrate +role (resetchannels {string.Join(' ', AllChannelsBut(SentinelHelloChannel))} -@all +publish)";

    /// <summary>The channel Sentinels exchange hellos on, on every Redis node they monitor (sentinel.c).</summary>
    public const string SentinelHelloChannel = "__sentinel__:hello";

    /// <summary>
    /// ACL channel patterns that match every channel name but <paramref name="channel"/> (which must hold no glob
    /// character): names that differ from it at some position, its proper prefixes, and longer names it begins.
    /// </summary>
    public static IReadOnlyList<string> AllChannelsBut(string channel)
    {
        var patterns = new List<string>();
        for (var i = 0; i < channel.Length; i++)
        {
            patterns.Add($"&{channel[..i]}[^{channel[i]}]*");
            if (i > 0)
            {
                patterns.Add($"&{channel[..i]}");
            }
        }

        patterns.Add($"&{channel}?*");
        return patterns;
    }

    /// <summary>
    /// Applications on a Sentinel: what clients ask to find and follow the master (GET-MASTER-ADDR-BY-NAME, MASTER(S),
    /// SENTINELS, REPLICAS, MYID; SUBSCRIBE to +switch-master and friends), connection commands, INFO, ROLE, COMMAND.
    /// Sentinel describes that set back as "@pubsub and @fast but PUBLISH, and …": its @fast holds only PING, AUTH,
    /// HELLO, ROLE and the like. Nothing that changes a Sentinel (REMOVE, MONITOR, SET, FAILOVER, RESET, CONFIG, DEBUG).
    /// </summary>
    public const string ApplicationOnSentinel =
        "&* -@all +@pubsub +@fast -publish +info +sentinel|master +sentinel|masters +sentinel|sentinels +sentinel|myid "
        + "+sentinel|get-master-addr-by-name +sentinel|replicas +sentinel|slaves +client|id +client|getname +client|setname +client|info +command";

    /// <summary>Redoubt itself: everything, on both kinds of server.</summary>
    public const string AdminRules = "~* &* +@all";

    /// <summary>A replica's link to its master (masteruser): the replication handshake only.</summary>
    public const string ReplicationRules = "resetchannels -@all +psync +ping +replconf";

    /// <summary>
    /// Sentinel's connections to a Redis node (auth-user), as Redis's ACL documentation lists them: PING, INFO, ROLE,
    /// CLIENT SETNAME/KILL, hellos on __sentinel__:hello, and a failover's MULTI/REPLICAOF/CONFIG REWRITE/EXEC and
    /// SCRIPT KILL.
    /// </summary>
    public const string SentinelOnRedis =
        "resetchannels &__sentinel__:hello -@all +slaveof +replicaof +multi +ping +script|kill +exec +config|rewrite +info +role +client|setname +client|kill +subscribe +publish";

    /// <summary>A Sentinel's connections to its peers (sentinel-user): PING, hellos, and the vote (IS-MASTER-DOWN-BY-ADDR).</summary>
    public const string SentinelOnSentinel =
        "resetchannels &__sentinel__:hello -@all +ping +publish +sentinel|is-master-down-by-addr +client|setname";

    /// <summary>The users a node of <paramref name="kind"/> must have; empty when the platform keeps one password (no users of Redoubt's own).</summary>
    public static IReadOnlyList<AclUser> For(NodeKind kind, ResourceSecrets secrets)
    {
        if (secrets.Redoubt is not { } own)
        {
            return [];
        }

        // During a rotation's grace period both the new password and the one it replaces log in.
        var application = new AclUser(Application, [.. secrets.ApplicationPasswords.Select(PasswordHash.Of)], kind == NodeKind.Redis ? ApplicationOnRedis : ApplicationOnSentinel);
        var admin = new AclUser(Admin, PasswordHash.Of(own.Admin), AdminRules);
        var sentinel = new AclUser(Sentinel, PasswordHash.Of(own.Sentinel), kind == NodeKind.Redis ? SentinelOnRedis : SentinelOnSentinel);
        return kind == NodeKind.Redis
            ? [admin, new AclUser(Replication, PasswordHash.Of(own.Replication), ReplicationRules), sentinel, application]
            : [admin, sentinel, application];
    }
}
