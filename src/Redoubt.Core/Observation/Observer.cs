using Redoubt.Core.Access;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Observation;

/// <summary>Check, never heal: asks every node and every Sentinel, in parallel, what it is and what it sees.</summary>
public sealed class Observer(RedisAdmin admin, TimeProvider time)
{
    public async Task<ClusterObservation> ObserveAsync(ResourcePlan plan, IReadOnlyList<NodeState> nodes, CancellationToken cancellationToken)
    {
        var redis = nodes.Where(n => n.Kind == NodeKind.Redis).Select(n => ObserveNodeAsync(plan, n));
        var sentinels = nodes.Where(n => n.Kind == NodeKind.Sentinel).Select(n => ObserveSentinelAsync(plan, n));
        var redisTask = Task.WhenAll(redis);
        var sentinelTask = Task.WhenAll(sentinels);
        await Task.WhenAll(redisTask, sentinelTask).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new ClusterObservation(time.GetUtcNow(), await redisTask.ConfigureAwait(false), await sentinelTask.ConfigureAwait(false));
    }

    public async Task<RedisNodeObservation> ObserveNodeAsync(ResourcePlan plan, NodeState node)
    {
        var observation = new RedisNodeObservation { Name = node.Name, Zone = node.Zone, Address = node.Address, Lifecycle = node.Lifecycle, Pid = node.Pid, Since = node.Since, Outdated = node.Outdated };
        if (node.Address is not { } address || node.Lifecycle is NodeLifecycle.Missing or NodeLifecycle.Exited or NodeLifecycle.Terminating)
        {
            return observation with { Error = node.Lifecycle.ToString().ToLowerInvariant() };
        }

        try
        {
            var infoTask = admin.ExecuteAsync(address, NodeKind.Redis, "INFO", "server", "replication", "persistence", "keyspace", "memory", "stats");
            var configTask = admin.ExecuteAsync(address, NodeKind.Redis, "CONFIG", ["GET", "bind", ReplicaPriority.Key, .. plan.RedisSettings.Select(s => (object)s.Key)]);
            var accessTask = RedisAccessAsync(address);
            var info = InfoParser.Parse((await infoTask.ConfigureAwait(false)).Text ?? "");
            var config = Pairs(await configTask.ConfigureAwait(false));
            var (acl, masterUser, masterAuthHash) = await accessTask.ConfigureAwait(false);
            var role = info.Text("role");
            var masterAddress = role == "slave" && info.Text("master_host") is { } host ? Endpoints.Format(host, (int)info.Number("master_port")) : null;
            return observation with
            {
                Reachable = true,
                Role = role,
                MasterAddress = masterAddress,
                MasterLinkUp = info.Text("master_link_status") == "up",
                SyncInProgress = info.Number("master_sync_in_progress") == 1,
                Loading = info.Number("loading") == 1,
                Offset = info.Number("master_repl_offset"),
                ReplicationId = info.Text("master_replid"),
                Keys = CountKeys(info),
                Replicas = ConnectedReplicas(info),
                Config = config,
                Bind = config.GetValueOrDefault("bind"),
                Version = info.Text("redis_version"),
                PersistenceFailure = PersistenceFailure(info),
                SnapshotInProgress = info.Number("rdb_bgsave_in_progress") == 1,
                SnapshotFailed = info.Text("rdb_last_bgsave_status") == "err",
                Stats = NodeStats.From(info),
                Acl = acl,
                MasterUser = masterUser,
                MasterAuthHash = masterAuthHash,
            };
        }
        catch (RedisAdminException e)
        {
            return observation with { Error = e.Message };
        }
    }

    /// <summary>What INFO persistence says went wrong with writing to disk, in words; null when nothing did.</summary>
    public static string? PersistenceFailure(IReadOnlyDictionary<string, string> info)
    {
        var failures = new List<string>();
        if (info.Text("rdb_last_bgsave_status") == "err")
        {
            failures.Add("its last snapshot (BGSAVE) failed");
        }

        if (info.Number("aof_enabled") == 1 && info.Text("aof_last_write_status") == "err")
        {
            failures.Add("it cannot write its append-only file");
        }

        if (info.Number("aof_enabled") == 1 && info.Text("aof_last_bgrewrite_status") == "err")
        {
            failures.Add("its last append-only file rewrite failed");
        }

        return failures.Count == 0 ? null : string.Join(" and ", failures) + " (a full or unwritable disk, most often; its log says which)";
    }

    public async Task<SentinelObservation> ObserveSentinelAsync(ResourcePlan plan, NodeState node)
    {
        var observation = new SentinelObservation { Name = node.Name, Zone = node.Zone, Address = node.Address, Lifecycle = node.Lifecycle, Pid = node.Pid, Outdated = node.Outdated };
        if (node.Address is not { } address || node.Lifecycle is NodeLifecycle.Missing or NodeLifecycle.Exited or NodeLifecycle.Terminating)
        {
            return observation with { Error = node.Lifecycle.ToString().ToLowerInvariant() };
        }

        try
        {
            var timers = TimersAsync(address);
            var masters = (await admin.ExecuteAsync(address, NodeKind.Sentinel, "SENTINEL", "MASTERS").ConfigureAwait(false)).Array;
            MonitoredMaster? ours = null;
            var foreign = new List<string>();
            foreach (var entry in masters)
            {
                var fields = Pairs(entry);
                var name = fields.Text("name") ?? "";
                if (name != plan.MasterName)
                {
                    foreign.Add(name);
                    continue;
                }

                ours = new MonitoredMaster
                {
                    Address = Endpoints.Format(fields.Text("ip") ?? "", (int)fields.Number("port")),
                    Flags = fields.Text("flags") ?? "",
                    Quorum = (int)fields.Number("quorum"),
                    OtherSentinels = (int)fields.Number("num-other-sentinels"),
                    Replicas = (int)fields.Number("num-slaves"),
                    ConfigEpoch = fields.Number("config-epoch"),
                    Settings = fields,
                };
            }

            IReadOnlyList<string> sentinels = [];
            IReadOnlyList<string> replicas = [];
            if (ours is not null)
            {
                var sentinelsTask = admin.ExecuteAsync(address, NodeKind.Sentinel, "SENTINEL", "SENTINELS", plan.MasterName);
                var replicasTask = admin.ExecuteAsync(address, NodeKind.Sentinel, "SENTINEL", "REPLICAS", plan.MasterName);
                sentinels = Addresses(await sentinelsTask.ConfigureAwait(false));
                replicas = Addresses(await replicasTask.ConfigureAwait(false));
            }

            var (acl, peerUser, peerAuthHash) = await SentinelAccessAsync(address).ConfigureAwait(false);
            return observation with
            {
                Reachable = true,
                Master = ours,
                ForeignMasters = foreign,
                KnownSentinels = sentinels,
                KnownReplicas = replicas,
                Timers = await timers.ConfigureAwait(false),
                Acl = acl,
                PeerUser = peerUser,
                PeerAuthHash = peerAuthHash,
            };
        }
        catch (RedisAdminException e)
        {
            return observation with { Error = e.Message };
        }
    }

    /// <summary>
    /// A Redis node's users and how it logs in to its master. The password is hashed at once: the observation, which
    /// ends up in logs and reasons, never holds it. Null fields when the node refuses (a legacy connection, limited).
    /// </summary>
    private async Task<(IReadOnlyDictionary<string, AclEntry>? Acl, string? User, string? AuthHash)> RedisAccessAsync(string address)
    {
        try
        {
            var replies = await admin.PipelineAsync(address, NodeKind.Redis, [["ACL", "LIST"], ["CONFIG", "GET", "masteruser"], ["CONFIG", "GET", "masterauth"]]).ConfigureAwait(false);
            return (AclEntry.ParseAll(replies[0].Array.Select(l => l.Text ?? "")), Pairs(replies[1]).Text("masteruser"), HashOrNull(Pairs(replies[2]).Text("masterauth")));
        }
        catch (RedisReplyException)
        {
            return (null, null, null);
        }
    }

    /// <summary>A Sentinel's users and how it logs in to its peers, the password hashed at once.</summary>
    private async Task<(IReadOnlyDictionary<string, AclEntry>? Acl, string? User, string? AuthHash)> SentinelAccessAsync(string address)
    {
        try
        {
            var replies = await admin.PipelineAsync(address, NodeKind.Sentinel, [["ACL", "LIST"], ["SENTINEL", "CONFIG", "GET", "sentinel-user"], ["SENTINEL", "CONFIG", "GET", "sentinel-pass"]]).ConfigureAwait(false);
            return (AclEntry.ParseAll(replies[0].Array.Select(l => l.Text ?? "")), Pairs(replies[1]).Text("sentinel-user"), HashOrNull(Pairs(replies[2]).Text("sentinel-pass")));
        }
        catch (RedisReplyException)
        {
            return (null, null, null);
        }
    }

    private static string? HashOrNull(string? password) => password is { Length: > 0 } ? PasswordHash.Of(password) : null;

    private async Task<IReadOnlyDictionary<string, string>> TimersAsync(string address)
    {
        try
        {
            return Pairs(await admin.ExecuteAsync(address, NodeKind.Sentinel, "SENTINEL", "DEBUG").ConfigureAwait(false));
        }
        catch (RedisReplyException)
        {
            // A Sentinel before 7.0: its timers cannot be read or set.
            return new Dictionary<string, string>();
        }
    }

    internal static IReadOnlyDictionary<string, string> Pairs(RespValue result)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var items = result.Array;
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            values[items[i].ToString() ?? ""] = items[i + 1].ToString() ?? "";
        }

        return values;
    }

    private static IReadOnlyList<string> Addresses(RespValue result) =>
        [.. result.Array.Select(Pairs).Select(f => Endpoints.Format(f.Text("ip") ?? "", (int)f.Number("port")))];

    private static long CountKeys(IReadOnlyDictionary<string, string> info) =>
        info.Where(kv => kv.Key.StartsWith("db", StringComparison.Ordinal) && kv.Key.Length > 2 && char.IsAsciiDigit(kv.Key[2]))
            .Sum(kv => InfoParser.ParseFields(kv.Value).Number("keys"));

    private static IReadOnlyList<ConnectedReplica> ConnectedReplicas(IReadOnlyDictionary<string, string> info)
    {
        var replicas = new List<ConnectedReplica>();
        for (var i = 0; info.Text($"slave{i}") is { } line; i++)
        {
            var f = InfoParser.ParseFields(line);
            replicas.Add(new ConnectedReplica(Endpoints.Format(f.Text("ip") ?? "", (int)f.Number("port")), f.Text("state") ?? "", f.Number("offset"), f.Number("lag")));
        }

        return replicas;
    }
}
