using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Model;

namespace Redoubt.Core.Reconcile;

/// <summary>Turns an observation and the healer's verdict into the status users read. Pure.</summary>
public static class StatusBuilder
{
    public static bool IsReady(ResourcePlan plan, ClusterObservation observation, RedisNodeObservation? master) =>
        master is not null
        && observation.Nodes.Count == plan.RedisNodes.Count
        && observation.Sentinels.Count == plan.Sentinels.Count
        && observation.Nodes.Where(n => n != master).All(n => InSync(n, master))
        && observation.Sentinels.All(s => Monitoring(plan, s, master))
        && observation.ApplicationRefused.Count == 0
        && observation.Nodes.All(n => n.PersistenceFailure is null);

    /// <summary>
    /// Why the rolling restart holds (the resource may be Ready meanwhile, so the Ready condition does not say it):
    /// "; waiting until …", or nothing.
    /// </summary>
    private static string RestartWait(string? waiting) =>
        waiting?.IndexOf("waiting until ", StringComparison.Ordinal) is { } at and >= 0 ? "; " + waiting[at..] : "";

    public static bool InSync(RedisNodeObservation replica, RedisNodeObservation master) =>
        replica.IsReplica && replica.MasterAddress == master.Address && replica.MasterLinkUp && !replica.SyncInProgress
        && master.Replicas.Any(r => r.Address == replica.Address && r.State == "online");

    public static bool Monitoring(ResourcePlan plan, SentinelObservation sentinel, RedisNodeObservation master) =>
        sentinel.Reachable
        && sentinel.Master is { } m
        && m.Address == master.Address
        && !m.SubjectivelyDown
        && m.OtherSentinels == plan.Sentinels.Count - 1
        && m.Replicas >= plan.RedisNodes.Count - 1
        // A Sentinel with the wrong auth-pass gets no valid PING reply: its last good reply grows old.
        && !m.PingRepliesStale(plan.Spec.Sentinel.DownAfterMilliseconds);

    public static string Phase(bool ready, bool failingOver, bool everReady) =>
        ready ? Phases.Ready
        : failingOver ? Phases.FailingOver
        : everReady ? Phases.Degraded
        : Phases.Provisioning;

    public static List<NodeStatus> Nodes(ClusterObservation observation, RedisNodeObservation? master) =>
        [.. observation.Nodes.Select(n => new NodeStatus
        {
            Name = n.Name,
            Zone = n.Zone,
            Address = n.Address ?? "",
            Pid = n.Pid,
            Role = !n.Reachable ? (n.Lifecycle == NodeLifecycle.Running ? "unreachable" : n.Lifecycle.ToString().ToLowerInvariant())
                : n.IsMaster ? "master"
                : n.IsParked ? "parked"
                : "replica",
            ReplicationOffset = n.Offset,
            LagBytes = master is not null && n.IsReplica && n.MasterAddress == master.Address ? Math.Max(0, master.Offset - n.Offset) : null,
            Health = !n.Reachable ? $"down: {n.Error}"
                : n.Loading ? "loading"
                : n.IsMaster ? "ok"
                : master is not null && InSync(n, master) ? "ok"
                : n.SyncInProgress ? "syncing"
                : n.IsParked ? "waiting for a master"
                : "not in sync",
        })];

    public static List<SentinelStatus> Sentinels(ResourcePlan plan, ClusterObservation observation, RedisNodeObservation? master) =>
        [.. observation.Sentinels.Select(s => new SentinelStatus
        {
            Name = s.Name,
            Zone = s.Zone,
            Address = s.Address ?? "",
            Pid = s.Pid,
            MonitoredMaster = s.Master?.Address,
            Health = !s.Reachable ? $"down: {s.Error}"
                : master is not null && Monitoring(plan, s, master) ? "ok"
                : s.Master is null ? "not monitoring"
                : $"flags {s.Master.Flags}, knows {s.Master.OtherSentinels} other sentinel(s) and {s.Master.Replicas} replica(s)",
        })];

    public static List<StatusCondition> Conditions(ResourcePlan plan, ClusterObservation observation, HealDecision decision, bool ready, IReadOnlyList<StatusCondition> previous, DateTimeOffset now)
    {
        var master = decision.Master;
        var replicasWanted = plan.RedisNodes.Count - 1;
        var inSync = master is null ? 0 : observation.Nodes.Count(n => n != master && InSync(n, master));
        var monitoring = master is null ? 0 : observation.Sentinels.Count(s => Monitoring(plan, s, master));
        var outdated = observation.Nodes.Where(n => n.Outdated is not null).Select(n => (n.Name, Why: n.Outdated!))
            .Concat(observation.Sentinels.Where(s => s.Outdated is not null).Select(s => (s.Name, Why: s.Outdated!)))
            .ToList();
        // One reason usually covers every node (a restart request, an upgrade): name it once.
        var pending = string.Join("; ", outdated.GroupBy(o => o.Why, StringComparer.Ordinal).Select(g => $"{g.Key}: {string.Join(", ", g.Select(o => o.Name))}"));
        return
        [
            Condition(previous, now, "Ready", ready, ready ? "AllHealthy" : "NotReady", ready ? "master, replicas and Sentinels are healthy"
                : observation.ApplicationRefused.Count > 0 ? $"applications cannot log in: {string.Join("; ", observation.ApplicationRefused)}"
                : observation.Nodes.FirstOrDefault(n => n.PersistenceFailure is not null) is { } failing ? $"{failing.Name} cannot write to disk: {failing.PersistenceFailure}"
                : decision.Waiting ?? "converging"),
            MasterAvailable(previous, now, observation, decision),
            Condition(previous, now, "ReplicasInSync", inSync == replicasWanted, inSync == replicasWanted ? "InSync" : "Syncing", $"{inSync} of {replicasWanted} replica(s) linked and in sync"),
            Condition(previous, now, "SentinelsMonitoring", monitoring == plan.Sentinels.Count, monitoring == plan.Sentinels.Count ? "Monitoring" : "NotMonitoring", $"{monitoring} of {plan.Sentinels.Count} Sentinel(s) monitor the master and know each other"),
            Persisting(previous, now, observation),
            Condition(previous, now, "UpToDate", outdated.Count == 0, outdated.Count == 0 ? "UpToDate" : "RestartPending", outdated.Count == 0
                ? "every node runs its current configuration"
                : $"{outdated.Count} node(s) to restart, one at a time; {pending}{RestartWait(decision.Waiting)}"),
        ];
    }

    /// <summary>A master that applications cannot log in to is not available to them, whatever Redoubt's own connections say.</summary>
    private static StatusCondition MasterAvailable(IReadOnlyList<StatusCondition> previous, DateTimeOffset now, ClusterObservation observation, HealDecision decision)
    {
        const string type = "MasterAvailable";
        if (decision.Master is not { } master)
        {
            return Condition(previous, now, type, false, "NoMaster", decision.Waiting ?? "no node is master");
        }

        var refused = observation.ApplicationRefused.FirstOrDefault(r => r.StartsWith(master.Name + ":", StringComparison.Ordinal));
        return refused is not null ? Condition(previous, now, type, false, "LoginRefused", $"applications cannot log in to the master {refused}")
            : master.PersistenceFailure is { } failure ? Condition(previous, now, type, false, "WritesRefused", $"{master.Name} at {master.Address} refuses writes (MISCONF): {failure}")
            : Condition(previous, now, type, true, "MasterElected", $"{master.Name} at {master.Address} accepts writes");
    }

    /// <summary>Whether every node can write to disk; the ones that cannot, and why.</summary>
    private static StatusCondition Persisting(IReadOnlyList<StatusCondition> previous, DateTimeOffset now, ClusterObservation observation)
    {
        var failing = observation.Nodes.Where(n => n.PersistenceFailure is not null).Select(n => $"{n.Name}: {n.PersistenceFailure}").ToList();
        return failing.Count == 0
            ? Condition(previous, now, "Persisting", true, "Persisting", "every node writes to disk as configured")
            : Condition(previous, now, "Persisting", false, "PersistenceFailing", string.Join("; ", failing));
    }

    private static StatusCondition Condition(IReadOnlyList<StatusCondition> previous, DateTimeOffset now, string type, bool ok, string reason, string message) =>
        ConditionTransitions.Next(previous.FirstOrDefault(c => c.Type == type), type, ok ? "True" : "False", reason, message, now);
}
