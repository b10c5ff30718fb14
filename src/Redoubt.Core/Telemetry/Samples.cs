using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Model;

namespace Redoubt.Core.Telemetry;

/// <summary>From what a pass observed and reported to the numbers its metrics show: pure, so each rule is a table row.</summary>
public static class Samples
{
    /// <summary>Every phase a status can have: each one gets a 0/1 series, so a change of phase moves a 1, never a series.</summary>
    public static readonly IReadOnlyList<string> AllPhases =
        [Phases.Pending, Phases.Provisioning, Phases.Ready, Phases.Degraded, Phases.FailingOver, Phases.Failed, Phases.Stopped];

    /// <param name="observation">Null when the pass failed before observing: the sample then leaves the nodes out.</param>
    public static ResourceSample Of(RedisResource resource, ResourcePlan plan, ClusterObservation? observation, RedisStatus status)
    {
        var sample = new ResourceSample
        {
            Namespace = resource.Metadata.Namespace,
            Name = resource.Metadata.Name,
            Phase = status.Phase,
            Conditions = status.Conditions.GroupBy(c => c.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Status == "True", StringComparer.Ordinal),
            HasMaster = status.Master is not null,
            SentinelQuorum = plan.Spec.Sentinel.Quorum,
        };
        if (observation is null)
        {
            return sample;
        }

        var master = status.Master is { } address ? observation.Nodes.FirstOrDefault(n => n.Address == address && n.IsMaster) : null;
        var linked = master is null ? [] : observation.Nodes.Where(n => IsLinkedReplicaOf(n, master)).ToList();
        return sample with
        {
            SentinelsMonitoring = observation.Sentinels.Count(s => s.Reachable && s.Master is not null && s.Master.Address == status.Master),
            UnreplicatedBytes = master is not null && linked.Count > 0 ? Math.Max(0, master.Offset - linked.Max(r => r.Offset)) : null,
            Nodes = [.. observation.Nodes.Select(n => Node(n, master))],
            Sentinels = [.. observation.Sentinels.Select(s => new SentinelSample(s.Name, s.Zone, s.Reachable, s.Reachable && s.Master is not null && s.Master.Address == status.Master))],
        };
    }

    public static NodeSample Node(RedisNodeObservation node, RedisNodeObservation? master)
    {
        var sample = new NodeSample { Node = node.Name, Zone = node.Zone, Up = node.Reachable, Pid = node.Pid, Since = node.Since };
        if (!node.Reachable)
        {
            return sample;
        }

        var stats = node.Stats ?? new NodeStats();
        var ofMaster = master is not null && node.IsReplica && node.MasterAddress == master.Address;
        return sample with
        {
            Role = node.IsMaster ? "master" : node.IsReplica ? "replica" : null,
            OffsetBytes = node.Offset,
            LagBytes = node.IsMaster ? 0 : ofMaster ? Math.Max(0, master!.Offset - node.Offset) : null,
            LagSeconds = node.IsMaster ? 0 : ofMaster ? master!.Replicas.FirstOrDefault(r => r.Address == node.Address)?.Lag : null,
            MasterLinkUp = node.IsReplica ? node.MasterLinkUp && !node.IsParked : null,
            ConnectedReplicas = node.Replicas.Count,
            UsedMemoryBytes = stats.UsedMemoryBytes,
            MaxMemoryBytes = stats.MaxMemoryBytes,
            Keys = node.Keys,
            EvictedKeys = stats.EvictedKeys,
            ExpiredKeys = stats.ExpiredKeys,
            OpsPerSecond = stats.OpsPerSecond,
            LastSaveUnixSeconds = stats.LastSaveUnixSeconds,
            LastSaveOk = !node.SnapshotFailed,
            AofEnabled = stats.AofEnabled,
            AofWriteOk = stats.AofWriteOk,
        };
    }

    /// <summary>
    /// Whether the node runs as another process than before: a new pid, or a new start time where there are no pids.
    /// Unknown parts (a node seen for the first time, one that is down) count as no restart.
    /// </summary>
    public static bool Restarted(NodeSample? before, NodeSample now)
    {
        if (before is null)
        {
            return false;
        }

        if (before.Pid is { } was && now.Pid is { } pid)
        {
            return was != pid;
        }

        return before.Since is { } started && now.Since is { } since && started != since;
    }

    private static bool IsLinkedReplicaOf(RedisNodeObservation node, RedisNodeObservation master) =>
        node.IsReplica && node.MasterAddress == master.Address && node.MasterLinkUp;
}
