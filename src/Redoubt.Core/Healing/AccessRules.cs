using Redoubt.Core.Access;
using Redoubt.Core.Observation;
using Redoubt.Core.Platform;

namespace Redoubt.Core.Healing;

/// <summary>
/// Who may log in where, healed like any setting: every node's ACL users against the plan (<see cref="AclDrift"/>),
/// every replica's and Sentinel's own login. Pure. In two steps, so that no login is switched to a user that does not
/// exist yet (a resource created before ACL users, a node that lost its users): first Redoubt's own users, on every
/// node; only when every node has them, the logins, and the application user (<c>default</c>) last, which closes the
/// links replicas and Sentinels had opened as that user.
/// </summary>
public static class AccessRules
{
    public static IReadOnlyList<HealAction> Actions(ClusterObservation observation, AccessPlan access)
    {
        var redis = observation.Nodes.Where(n => n.Reachable && n.Acl is not null)
            .Select(n => (n.Name, n.Address!, NodeKind.Redis, Wanted: access.RedisUsers, Drift: AclDrift.Compare(access.RedisUsers, n.Acl!)));
        var sentinels = observation.Sentinels.Where(s => s.Reachable && s.Acl is not null)
            .Select(s => (s.Name, s.Address!, NodeKind.Sentinel, Wanted: access.SentinelUsers, Drift: AclDrift.Compare(access.SentinelUsers, s.Acl!)));
        var drifts = redis.Concat(sentinels).ToList();

        var own = drifts
            .Select(d => Repair(d.Name, d.Item2, d.Item3, d.Wanted, [.. d.Drift.Where(x => x.User != AclUsers.Application)]))
            .OfType<HealAction>()
            .ToList();
        if (own.Count > 0)
        {
            return own;
        }

        var actions = new List<HealAction>();
        foreach (var node in observation.Nodes.Where(n => n.Reachable && n.Acl is not null))
        {
            if (node.MasterUser != AclUsers.Replication || node.MasterAuthHash != access.ReplicationPasswordHash)
            {
                actions.Add(new SetReplicationAuth(node.Name, node.Address!, node.MasterUser == AclUsers.Replication ? "its masterauth is not the replication user's password" : $"it logs in to its master as {Shown(node.MasterUser)}, not {AclUsers.Replication}"));
            }
        }

        foreach (var sentinel in observation.Sentinels.Where(s => s.Reachable && s.Acl is not null))
        {
            if (sentinel.PeerUser != AclUsers.Sentinel || sentinel.PeerAuthHash != access.SentinelPasswordHash)
            {
                actions.Add(new SetSentinelAuth(sentinel.Name, sentinel.Address!, sentinel.Master is not null, sentinel.PeerUser == AclUsers.Sentinel ? "its sentinel-pass is not the Sentinel user's password" : $"it logs in to its peers as {Shown(sentinel.PeerUser)}, not {AclUsers.Sentinel}"));
            }
        }

        actions.AddRange(drifts
            .Select(d => Repair(d.Name, d.Item2, d.Item3, d.Wanted, [.. d.Drift.Where(x => x.User == AclUsers.Application)]))
            .OfType<HealAction>());
        return actions;
    }

    /// <summary>Whether every node and Sentinel that answers has exactly the users of the plan: a rotation has reached them all.</summary>
    public static bool InPlace(ClusterObservation observation, AccessPlan access) =>
        observation.Nodes.Where(n => n.Reachable && n.Acl is not null).All(n => AclDrift.Compare(access.RedisUsers, n.Acl!).Count == 0)
        && observation.Sentinels.Where(s => s.Reachable && s.Acl is not null).All(s => AclDrift.Compare(access.SentinelUsers, s.Acl!).Count == 0);

    /// <summary>
    /// The addresses of nodes and Sentinels whose application user a rotation has not reached yet (<see cref="AclDrift.AwaitsRotation"/>):
    /// they refuse the new password until this pass's repair, which is no refusal to report.
    /// </summary>
    public static IReadOnlySet<string> AwaitingRotation(ClusterObservation observation, AccessPlan access)
    {
        static AclUser Application(IReadOnlyList<AclUser> users) => users.First(u => u.Name == AclUsers.Application);
        return observation.Nodes.Where(n => n.Address is not null && AclDrift.AwaitsRotation(Application(access.RedisUsers), n.Acl?.GetValueOrDefault(AclUsers.Application))).Select(n => n.Address!)
            .Concat(observation.Sentinels.Where(s => s.Address is not null && AclDrift.AwaitsRotation(Application(access.SentinelUsers), s.Acl?.GetValueOrDefault(AclUsers.Application))).Select(s => s.Address!))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The addresses of nodes and Sentinels whose ACL, read in this observation, lets the application in: its user
    /// enabled, with exactly the wanted passwords and permissions. A login on a fresh connection would say nothing more
    /// about the password, so the pass does not open one there.
    /// </summary>
    public static IReadOnlySet<string> LoginProven(ClusterObservation observation, AccessPlan access)
    {
        static bool Admits(IReadOnlyList<AclUser> users, IReadOnlyDictionary<string, AclEntry>? acl)
        {
            var application = users.First(u => u.Name == AclUsers.Application);
            return acl?.GetValueOrDefault(AclUsers.Application) is { } entry
                && AclDrift.Compare([application], new Dictionary<string, AclEntry>(StringComparer.Ordinal) { [AclUsers.Application] = entry }).Count == 0;
        }

        return observation.Nodes.Where(n => n.Address is not null && Admits(access.RedisUsers, n.Acl)).Select(n => n.Address!)
            .Concat(observation.Sentinels.Where(s => s.Address is not null && Admits(access.SentinelUsers, s.Acl)).Select(s => s.Address!))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static RepairUsers? Repair(string node, string address, NodeKind kind, IReadOnlyList<AclUser> wanted, IReadOnlyList<AclDifference> drift)
    {
        if (drift.Count == 0)
        {
            return null;
        }

        var names = drift.Select(d => d.User).ToHashSet(StringComparer.Ordinal);
        return new RepairUsers(
            node,
            address,
            kind,
            [.. wanted.Where(u => names.Contains(u.Name))],
            [.. names.Where(n => wanted.All(u => u.Name != n))],
            string.Join("; ", drift));
    }

    private static string Shown(string? user) => user is { Length: > 0 } ? user : "default";
}
