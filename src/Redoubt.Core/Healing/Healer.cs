using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;

namespace Redoubt.Core.Healing;

/// <summary>
/// Decides, from one observation, what to correct. Pure: no I/O, no clock but the context's, so every rule is a
/// row in a table test. Sentinel stays the authority on who is master: the healer only acts where Sentinel cannot
/// (no master at all, a known-dead master, a second master, Sentinels pointed at the wrong node).
/// </summary>
public static class Healer
{
    public static HealDecision Decide(ResourcePlan plan, ClusterObservation observation, HealContext context)
    {
        if (observation.Sentinels.Any(s => s.Master?.FailoverInProgress == true) || context.FailoverInFlight)
        {
            return new HealDecision(null, [], "a Sentinel failover is in progress");
        }

        var sentinelMaster = SentinelMajority(plan, observation);
        var liveMasters = observation.Nodes.Where(n => n.IsMaster).ToList();
        return liveMasters.Count switch
        {
            0 => WithoutHolds(NoMaster(plan, observation, context, sentinelMaster), observation),
            1 => WithMaster(plan, observation, liveMasters[0], sentinelMaster, Fence(observation, liveMasters[0], sentinelMaster, context), context),
            _ => SplitBrain(plan, observation, liveMasters, sentinelMaster, context),
        };
    }

    /// <summary>Without a master, every replica held back from Sentinel's choice is let go first (see <see cref="CertificateRules"/>).</summary>
    private static HealDecision WithoutHolds(HealDecision decision, ClusterObservation observation) =>
        CertificateRules.Releases(observation).ToList() is { Count: > 0 } releases ? decision with { Actions = [.. releases, .. decision.Actions] } : decision;

    /// <summary>How often a failed snapshot is tried again: Redis's own pace when a save point is due.</summary>
    public static readonly TimeSpan SnapshotRetryPeriod = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A node whose last snapshot failed (a full or unwritable disk) is asked for another every few seconds. Redis tries
    /// again only while a save point is due, and a master refuses writes (MISCONF) until one succeeds: without the retry,
    /// a failure from a snapshot taken for another reason would refuse writes long after the disk has room again.
    /// </summary>
    private static IEnumerable<HealAction> SnapshotRetries(ClusterObservation observation, HealContext context) =>
        observation.Nodes
            .Where(n => n.Reachable && n.SnapshotFailed && !n.SnapshotInProgress
                && (!context.SnapshotRetried.TryGetValue(n.Name, out var last) || context.Now - last >= SnapshotRetryPeriod))
            .Select(n => new RetrySnapshot(n.Name, n.Address!, n.PersistenceFailure ?? "its last snapshot failed"));

    /// <summary>The address a majority of the planned Sentinels name as master, or null when there is no majority.</summary>
    public static string? SentinelMajority(ResourcePlan plan, ClusterObservation observation)
    {
        var needed = plan.Sentinels.Count / 2 + 1;
        return observation.Sentinels
            .Where(s => s.Reachable && s.Master is not null)
            .GroupBy(s => s.Master!.Address, StringComparer.Ordinal)
            .Where(g => g.Count() >= needed)
            .Select(g => g.Key)
            .FirstOrDefault();
    }

    private static HealDecision NoMaster(ResourcePlan plan, ClusterObservation observation, HealContext context, string? sentinelMaster)
    {
        var nodes = observation.Nodes;
        if (sentinelMaster is not null && nodes.FirstOrDefault(n => n.Address == sentinelMaster) is { } known && !known.IsMaster)
        {
            var followers = nodes.Count(n => n != known && n.IsReplica && n.MasterAddress == sentinelMaster);
            // Gone, or back already but parked (it restarted, maybe empty): either way Sentinel must pick a replica, now.
            var gone = !known.Reachable && known.Lifecycle is NodeLifecycle.Exited or NodeLifecycle.Missing or NodeLifecycle.Starting;
            if (followers > 0 && (gone || known.IsParked))
            {
                var state = known.IsParked ? "restarted as a parked replica" : known.Lifecycle.ToString().ToLowerInvariant();
                return new HealDecision(null, [new RequestFailover(known.Name, sentinelMaster, $"master {known.Name} is {state} and {followers} replica(s) can take over")], null);
            }

            if (followers > 0 && !known.Reachable)
            {
                return new HealDecision(null, [], $"master {known.Name} does not answer; Sentinel decides whether it is down");
            }
        }

        if (nodes.Any(n => n.Reachable && n.Loading))
        {
            return new HealDecision(null, [], "waiting for nodes to finish loading their data before choosing a master");
        }

        var candidates = nodes.Where(n => n.IsReplica).ToList();
        var silent = nodes.Count - candidates.Count;
        var waited = context.NoMasterSince is { } since ? context.Now - since : TimeSpan.Zero;
        if (candidates.Count == 0)
        {
            return new HealDecision(null, [], "no Redis node answers yet");
        }

        if (silent > 0 && waited < context.ElectionGrace)
        {
            return new HealDecision(null, [], $"waiting for {silent} more node(s) to report before choosing the one with the most data");
        }

        var best = MostData(candidates, context.LastKnownMaster ?? sentinelMaster);
        var why = $"no master and no Sentinel decision; {best.Name} has the most data (offset {best.Offset}, {best.Keys} keys)";
        return new HealDecision(null, [new PromoteNode(best.Name, best.Address!, why)], null);
    }

    /// <summary>Highest replication offset, then a non-empty dataset (the larger first), then the last known master, then the lowest ordinal.</summary>
    public static RedisNodeObservation MostData(IEnumerable<RedisNodeObservation> candidates, string? preferred) =>
        candidates
            .OrderByDescending(n => n.Offset)
            .ThenByDescending(n => n.Keys > 0)
            .ThenByDescending(n => n.Keys)
            .ThenByDescending(n => n.Address == preferred)
            .ThenBy(n => Ordinal(n.Name))
            .First();

    /// <summary>The number after the last '-' ("redis-10" → 10), so that ties go to redis-2 before redis-10.</summary>
    internal static int Ordinal(string name) =>
        int.TryParse(name.AsSpan(name.LastIndexOf('-') + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ordinal) ? ordinal : int.MaxValue;

    private static HealDecision SplitBrain(ResourcePlan plan, ClusterObservation observation, List<RedisNodeObservation> masters, string? sentinelMaster, HealContext context)
    {
        // The Sentinels' majority wins; without one, the master the replicas follow, then the one with the most data.
        var winner = masters.FirstOrDefault(m => m.Address == sentinelMaster)
            ?? masters
                .OrderByDescending(m => observation.Nodes.Count(n => n.IsReplica && n.MasterAddress == m.Address))
                .ThenByDescending(m => m.Offset)
                .ThenByDescending(m => m.Keys)
                .ThenBy(m => Ordinal(m.Name))
                .First();
        var demotions = masters
            .Where(m => m != winner)
            .Select(m => (HealAction)new DemoteMaster(m.Name, m.Address!, winner.Address!, $"two masters: {winner.Name} is the one {(winner.Address == sentinelMaster ? "the Sentinels name" : "with the most replicas and data")}"))
            .ToList();
        return WithMaster(plan, observation, winner, sentinelMaster, [.. Fence(observation, winner, sentinelMaster, context), .. demotions], context);
    }

    /// <summary>
    /// A deposed master whose process still runs but does not answer is hung, not gone. Sentinel has moved on; if it
    /// woke up it would acknowledge the writes queued in its sockets before anyone could demote it. Kill it first.
    /// </summary>
    private static List<HealAction> Fence(ClusterObservation observation, RedisNodeObservation master, string? sentinelMaster, HealContext context)
    {
        if (context.DeposedMaster is not { } deposed || deposed == master.Address || sentinelMaster != master.Address)
        {
            return [];
        }

        return [.. observation.Nodes
            .Where(n => n.Address == deposed && !n.Reachable && n.Lifecycle == NodeLifecycle.Running && SameIncarnation(n, context))
            .Select(n => (HealAction)new FenceNode(n.Name, deposed, n.Pid, $"deposed master {n.Name} runs but does not answer (hung or cut off); the Sentinels follow {master.Name}", n.Since))];
    }

    /// <summary>
    /// Whether the node is still the process that was deposed: same pid where the platform has pids, else the same
    /// start time (a container restarted since, or a new pod that got the old one's address, has another). A fresh
    /// start boots parked and is not answering only because it is still starting: fencing it would make things worse.
    /// </summary>
    private static bool SameIncarnation(RedisNodeObservation node, HealContext context) =>
        context.DeposedPid is { } pid ? node.Pid == pid : context.DeposedSince is not { } since || node.Since == since;

    private static HealDecision WithMaster(ResourcePlan plan, ClusterObservation observation, RedisNodeObservation master, string? sentinelMaster, List<HealAction> actions, HealContext context)
    {
        if (plan.RedisNodes.All(n => n.Name != master.Name))
        {
            actions.Add(new SwitchMaster(master.Name, $"{master.Name} is being removed by a scale-down"));
        }

        // A node still loading its data refuses REPLICAOF (-LOADING): it is attached on the pass after it has loaded.
        var strays = observation.Nodes.Where(n => n.IsReplica && n != master && n.MasterAddress != master.Address).ToList();
        var attach = ReplicaActions(strays.Where(n => !n.Loading), master).ToList();
        var sentinelActions = SentinelActions(plan, observation, master, sentinelMaster);
        // A Sentinel learns replicas from the master's INFO, at once when it starts monitoring and then only every
        // 10 s: replicas attached first are known right away.
        actions.AddRange(attach.Count > 0 ? sentinelActions.Where(a => a is not MonitorMaster { Disruptive: false }) : sentinelActions);
        actions.AddRange(attach);
        actions.AddRange(ConfigActions(plan, observation));
        actions.AddRange(CertificateRules.Actions(observation, master));
        actions.AddRange(EndpointRules.Actions(observation, master, context.Endpoint));
        actions.AddRange(SnapshotRetries(observation, context));
        if (context.Access is { } access)
        {
            actions.AddRange(AccessRules.Actions(observation, access));
        }
        string? waiting = null;
        if (actions.Count == 0 && RollingRestart(plan, observation, master, sentinelMaster, out waiting) is { } restart)
        {
            actions.Add(restart);
        }

        if (actions.Count == 0 && waiting is null && strays.FirstOrDefault(n => n.Loading) is { } loading)
        {
            waiting = $"{loading.Name} is loading its data; it joins {master.Name} when done";
        }

        return new HealDecision(master, actions, waiting);
    }

    /// <summary>
    /// The next step of a rolling restart, once everything else is healed: every planned node answers, every replica
    /// follows the master with its link up and its sync done, every Sentinel monitors the master and knows all its
    /// peers and replicas. Then one node: an outdated Sentinel, else an outdated replica, else a switchover away
    /// from an outdated master (it is restarted on a later pass as a replica). A resource with one Redis node has
    /// nowhere to switch to: its master is restarted in place, which is a short outage.
    /// </summary>
    private static HealAction? RollingRestart(ResourcePlan plan, ClusterObservation observation, RedisNodeObservation master, string? sentinelMaster, out string? waiting)
    {
        waiting = null;
        var redis = observation.Nodes.Where(n => n.Outdated is not null).ToList();
        var sentinels = observation.Sentinels.Where(s => s.Outdated is not null).ToList();
        if (redis.Count == 0 && sentinels.Count == 0)
        {
            return null;
        }

        var outdated = redis.Count + sentinels.Count;
        if (Unsettled(plan, observation, master, sentinelMaster) is { } reason)
        {
            waiting = $"{outdated} node(s) to restart; waiting until {reason}";
            return null;
        }

        if (sentinels.OrderBy(s => Ordinal(s.Name)).FirstOrDefault() is { } sentinel)
        {
            return new RestartNode(sentinel.Name, NodeKind.Sentinel, $"{sentinel.Outdated}; {outdated} node(s) to restart, one at a time");
        }

        // Highest ordinal first: the lowest ordinals are the likeliest masters after a switchover.
        if (redis.Where(n => n != master).OrderByDescending(n => Ordinal(n.Name)).FirstOrDefault() is { } replica)
        {
            return new RestartNode(replica.Name, NodeKind.Redis, $"{replica.Outdated}; {outdated} node(s) to restart, replicas first");
        }

        if (!observation.Nodes.Any(n => n != master && n.Outdated is null && n.IsReplica))
        {
            return new RestartNode(master.Name, NodeKind.Redis, $"{master.Outdated}; it is the only Redis node, so writes stop until it is back");
        }

        // A restarted pod comes back on a new IP, and the certificate issued for it reaches the pod a minute or so
        // later: a switchover before then could hand clients a master whose certificate does not name its address.
        if (observation.StaleCertificates.FirstOrDefault(name => name != master.Name) is { } stale)
        {
            waiting = $"{outdated} node(s) to restart; waiting until {stale} serves the TLS certificate issued for its address";
            return null;
        }

        return new SwitchMaster(master.Name, $"{master.Outdated}; the master is restarted last, as a replica");
    }

    /// <summary>Why a restart would be unsafe now, or null when the resource is whole.</summary>
    private static string? Unsettled(ResourcePlan plan, ClusterObservation observation, RedisNodeObservation master, string? sentinelMaster)
    {
        if (sentinelMaster != master.Address)
        {
            return "the Sentinels agree on the master";
        }

        foreach (var node in observation.Nodes.Where(n => n != master))
        {
            if (!node.IsReplica || node.MasterAddress != master.Address || !node.MasterLinkUp || node.SyncInProgress || node.Loading)
            {
                return $"{node.Name} is an in-sync replica of {master.Name}";
            }
        }

        if (observation.Nodes.Count < plan.RedisNodes.Count)
        {
            return "every Redis node exists";
        }

        foreach (var sentinel in observation.Sentinels)
        {
            if (!sentinel.Reachable || sentinel.Master?.Address != master.Address
                || sentinel.KnownSentinels.Count < plan.Sentinels.Count - 1 || sentinel.KnownReplicas.Count < plan.RedisNodes.Count - 1)
            {
                return $"{sentinel.Name} monitors {master.Name} and knows every peer and replica";
            }
        }

        return observation.Sentinels.Count < plan.Sentinels.Count ? "every Sentinel exists" : null;
    }

    /// <summary>Attaches each of <paramref name="strays"/> (replicas that follow something else) to the master.</summary>
    private static IEnumerable<HealAction> ReplicaActions(IEnumerable<RedisNodeObservation> strays, RedisNodeObservation master) =>
        strays.Select(node => new AttachReplica(
            node.Name,
            node.Address!,
            master.Address!,
            node.IsParked ? "started parked, joins the master" : $"follows {node.MasterAddress}, not the master"));

    private static IEnumerable<HealAction> SentinelActions(ResourcePlan plan, ClusterObservation observation, RedisNodeObservation master, string? sentinelMaster)
    {
        var reachable = observation.Sentinels.Where(s => s.Reachable).ToList();
        var targets = new List<SentinelTarget>();
        foreach (var sentinel in reachable)
        {
            if (sentinel.Master is null)
            {
                targets.Add(new SentinelTarget(sentinel.Name, sentinel.Address!, Replace: false));
            }
            else if (sentinel.Master.Address != master.Address && sentinelMaster != master.Address)
            {
                // When the majority already agrees, a lagging Sentinel learns the master from its peers' hellos.
                targets.Add(new SentinelTarget(sentinel.Name, sentinel.Address!, Replace: true));
            }
        }

        if (targets.Count > 0)
        {
            var why = targets.Any(t => t.Replace) ? $"the Sentinels name {sentinelMaster ?? "no common master"}, but {master.Name} is the master" : "not monitoring the master yet";
            yield return new MonitorMaster(targets, master.Address!, why);
        }

        foreach (var sentinel in reachable.Where(s => s.Timers.Count > 0))
        {
            var wrong = plan.SentinelTimers.Where(t => sentinel.Timers.TryGetValue(t.Key, out var current) && current != t.Value).ToList();
            if (wrong.Count > 0)
            {
                yield return new SetSentinelTimers(sentinel.Name, sentinel.Address!, wrong, $"{string.Join(", ", wrong.Select(t => $"{t.Key} is {sentinel.Timers[t.Key]}"))} ms; Redoubt wants {string.Join(", ", wrong.Select(t => t.Value))}");
            }
        }

        var reset = false;
        foreach (var sentinel in reachable.Where(s => s.Master is not null && s.Master.Address == master.Address))
        {
            foreach (var foreign in sentinel.ForeignMasters)
            {
                yield return new RemoveForeignMaster(sentinel.Name, sentinel.Address!, foreign, "monitors a master that is not this resource's");
            }

            foreach (var setting in plan.SentinelSettings.Append(new Setting("quorum", plan.Spec.Sentinel.Quorum.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            {
                if (sentinel.Master!.Settings.TryGetValue(setting.Key, out var current) && current != setting.Value)
                {
                    yield return new SetSentinelOption(sentinel.Name, sentinel.Address!, setting.Key, setting.Value, $"{setting.Key} is {current}, the spec says {setting.Value}");
                }
            }

            // The master answers us; a Sentinel that has had no valid reply from it for longer than down-after has
            // the wrong password (or none), and would soon vote the healthy master down.
            if (master.Reachable && sentinel.Master!.SinceValidPing is { } sinceOk && sentinel.Master.PingRepliesStale(plan.Spec.Sentinel.DownAfterMilliseconds))
            {
                yield return new RefreshSentinel(sentinel.Name, sentinel.Address!, $"no valid reply from the master for {sinceOk} ms although it answers");
            }

            var stale = sentinel.KnownSentinels.Count > plan.Sentinels.Count - 1 || sentinel.KnownReplicas.Count > plan.RedisNodes.Count - 1;
            if (stale && !reset)
            {
                reset = true;
                yield return new ResetSentinel(sentinel.Name, sentinel.Address!, $"knows {sentinel.KnownSentinels.Count} Sentinels and {sentinel.KnownReplicas.Count} replicas, more than exist");
            }
        }
    }

    private static IEnumerable<HealAction> ConfigActions(ResourcePlan plan, ClusterObservation observation)
    {
        foreach (var node in observation.Nodes.Where(n => n.Reachable))
        {
            foreach (var setting in plan.RedisSettings)
            {
                if (node.Config.TryGetValue(setting.Key, out var current) && current != setting.Value)
                {
                    yield return new SetConfig(node.Name, node.Address!, setting.Key, setting.Value, $"{setting.Key} is \"{current}\", the spec says \"{setting.Value}\"");
                }
            }
        }
    }
}
