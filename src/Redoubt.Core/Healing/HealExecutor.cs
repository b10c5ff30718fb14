using Redoubt.Core.Access;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Healing;

/// <summary>
/// Carries out every single-step action, against Redis and Sentinel or through the platform (fencing, restarts). Each
/// action is independent: one failing does not stop the rest. The compound ones (a failover, a switchover) are parts of
/// the reconciler of their own that run their steps through here.
/// </summary>
public sealed class HealExecutor(RedisAdmin admin, IRedisPlatform platform)
{
    /// <summary>Carries out the action; false when it found nothing to do (a node to fence had already gone).</summary>
    public async Task<bool> ExecuteAsync(ResourcePlan plan, HealAction action, ResourceSecrets secrets, CancellationToken cancellationToken = default)
    {
        switch (action)
        {
            case FenceNode f:
                return await platform.FenceNodeAsync(plan, f.Node, f.Pid, f.Since, cancellationToken).ConfigureAwait(false);
            case RestartNode r:
                await platform.RestartNodeAsync(plan, r.Node, cancellationToken).ConfigureAwait(false);
                break;
            case PromoteNode p:
                await admin.ExecuteAsync(p.Address, NodeKind.Redis, "REPLICAOF", "NO", "ONE").ConfigureAwait(false);
                break;
            case RetrySnapshot s:
                await admin.ExecuteAsync(s.Address, NodeKind.Redis, "BGSAVE").ConfigureAwait(false);
                break;
            case AttachReplica a:
                await ReplicaOfAsync(a.Address, a.MasterAddress).ConfigureAwait(false);
                break;
            case DemoteMaster d:
                await ReplicaOfAsync(d.Address, d.MasterAddress).ConfigureAwait(false);
                break;
            case MonitorMaster m:
                await Task.WhenAll(m.Sentinels.Select(s => MonitorAsync(plan, s, m.MasterAddress, secrets))).ConfigureAwait(false);
                break;
            case AnnounceMaster a:
                await admin.ExecuteAsync(a.Address, NodeKind.Sentinel, "PUBLISH", SentinelHello.Channel, a.Hello.ToString()).ConfigureAwait(false);
                break;
            case SetSentinelOption o:
                await admin.ExecuteAsync(o.Address, NodeKind.Sentinel, "SENTINEL", "SET", plan.MasterName, o.Key, o.Value).ConfigureAwait(false);
                break;
            case SetSentinelTimers t:
                await admin.ExecuteAsync(t.Address, NodeKind.Sentinel, "SENTINEL", ["DEBUG", .. t.Timers.SelectMany(s => new object[] { s.Key, s.Value })]).ConfigureAwait(false);
                break;
            case RemoveForeignMaster f:
                await admin.ExecuteAsync(f.Address, NodeKind.Sentinel, "SENTINEL", "REMOVE", f.MasterName).ConfigureAwait(false);
                break;
            case ResetSentinel r:
                await admin.ExecuteAsync(r.Address, NodeKind.Sentinel, "SENTINEL", "RESET", plan.MasterName).ConfigureAwait(false);
                break;
            case RefreshSentinel r:
                await admin.PipelineAsync(r.Address, NodeKind.Sentinel, [SettingsCommand(plan, secrets)]).ConfigureAwait(false);
                break;
            case SetConfig c:
                await admin.ExecuteAsync(c.Address, NodeKind.Redis, "CONFIG", "SET", c.Key, c.Value).ConfigureAwait(false);
                break;
            case HoldEndpoint h:
                await EndpointBinding.HoldAsync(admin, h.Address, h.Endpoint, EndpointTimeout).ConfigureAwait(false);
                break;
            case ReleaseEndpoint r:
                await EndpointBinding.ReleaseAsync(admin, r.Address, r.Endpoint, EndpointTimeout).ConfigureAwait(false);
                break;
            case RepairUsers u:
                await RepairUsersAsync(u).ConfigureAwait(false);
                break;
            case SetReplicationAuth r when secrets.Redoubt is { } own:
                await admin.ExecuteAsync(r.Address, NodeKind.Redis, "CONFIG", "SET", "masteruser", AclUsers.Replication, "masterauth", own.Replication).ConfigureAwait(false);
                break;
            case SetSentinelAuth s when secrets.Redoubt is { } own:
                await admin.PipelineAsync(s.Address, NodeKind.Sentinel, [
                    ["SENTINEL", "CONFIG", "SET", "sentinel-user", AclUsers.Sentinel],
                    ["SENTINEL", "CONFIG", "SET", "sentinel-pass", own.Sentinel],
                    .. s.Monitoring ? [SettingsCommand(plan, secrets)] : Array.Empty<object[]>(),
                ], FastProbes.ConfigWriteTimeout).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"the executor has no way to {action.Describe()}");
        }

        return true;
    }

    /// <summary>How long a node may take to change its listening addresses.</summary>
    public static readonly TimeSpan EndpointTimeout = TimeSpan.FromSeconds(1);

    /// <summary>REPLICAOF, within <paramref name="timeout"/> (the admin's own when null).</summary>
    public Task ReplicaOfAsync(string address, string masterAddress, TimeSpan? timeout = null)
    {
        var (host, port) = Endpoints.Parse(masterAddress);
        return admin.PipelineAsync(address, NodeKind.Redis, [["REPLICAOF", host, port]], timeout);
    }

    private async Task MonitorAsync(ResourcePlan plan, SentinelTarget sentinel, string masterAddress, ResourceSecrets secrets)
    {
        var (host, port) = Endpoints.Parse(masterAddress);
        var commands = new List<object[]>();
        if (sentinel.Replace)
        {
            commands.Add(["SENTINEL", "REMOVE", plan.MasterName]);
        }

        commands.Add(["SENTINEL", "MONITOR", plan.MasterName, host, port, plan.Spec.Sentinel.Quorum]);
        commands.Add(SettingsCommand(plan, secrets));
        // One write: the Sentinel has its password before its first PING, so it never sees NOAUTH and never
        // counts a healthy master as down.
        await admin.PipelineAsync(sentinel.Address, NodeKind.Sentinel, commands).ConfigureAwait(false);
    }

    /// <summary>
    /// ACL SETUSER for each drifted user, ACL DELUSER for strangers; then, when the application user was limited, the
    /// links replicas and Sentinels had opened as that user are closed (they log in again as their own users), and so
    /// are Redoubt's own connections that were not opened as its admin user.
    /// </summary>
    private async Task RepairUsersAsync(RepairUsers repair)
    {
        var application = repair.Users.Any(u => u.Name == AclUsers.Application);
        if (application)
        {
            // Redoubt's own users exist everywhere by now (the healer limits the application user only then): what
            // follows must run as the admin, not on a connection the limit is about to take its rights from.
            await admin.DropLegacyConnectionsAsync().ConfigureAwait(false);
        }

        var commands = repair.Users.Select(u => (object[])["ACL", "SETUSER", u.Name, .. u.SetUserArguments()])
            .Concat(repair.Unexpected.Select(name => (object[])["ACL", "DELUSER", name]))
            .ToList();
        await admin.PipelineAsync(repair.Address, repair.Kind, commands).ConfigureAwait(false);
        if (!application)
        {
            return;
        }

        var clients = (await admin.ExecuteAsync(repair.Address, repair.Kind, "CLIENT", "LIST").ConfigureAwait(false)).Text ?? "";
        var kills = InternalLinksAs(AclUsers.Application, clients).Select(id => (object[])["CLIENT", "KILL", "ID", id]).ToList();
        if (kills.Count > 0)
        {
            await admin.PipelineAsync(repair.Address, repair.Kind, kills).ConfigureAwait(false);
        }
    }

    /// <summary>The ids, in a CLIENT LIST reply, of replica links and Sentinel links logged in as <paramref name="user"/>.</summary>
    internal static IEnumerable<string> InternalLinksAs(string user, string clientList) =>
        clientList.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(field => field.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .GroupBy(pair => pair[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal))
            .Where(f => f.GetValueOrDefault("user") == user
                && (f.GetValueOrDefault("flags", "").Contains('S', StringComparison.Ordinal) || f.GetValueOrDefault("name", "").StartsWith("sentinel-", StringComparison.Ordinal)))
            .Select(f => f["id"]);

    private static object[] SettingsCommand(ResourcePlan plan, ResourceSecrets secrets)
    {
        var set = new List<object> { "SENTINEL", "SET", plan.MasterName };
        var (user, password) = secrets.SentinelLogin;
        if (user is not null)
        {
            set.AddRange(["auth-user", user]);
        }

        if (password is not null)
        {
            set.AddRange(["auth-pass", password]);
        }

        foreach (var setting in plan.SentinelSettings)
        {
            set.AddRange([setting.Key, setting.Value]);
        }

        return [.. set];
    }
}
