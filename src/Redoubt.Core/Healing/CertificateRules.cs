using Redoubt.Core.Observation;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Healing;

/// <summary>
/// A replica that serves a TLS certificate not issued for its address (on Kubernetes, a pod back on a new IP before
/// its Secret reached it, which takes the kubelet a minute or so) must not become master while another replica can:
/// clients that check the address against the certificate, as they should, would refuse it until it loads the right
/// one. A rolling restart waits for it before its switchover; an unplanned failover cannot wait, so Sentinel is told
/// beforehand: such a replica gets <c>replica-priority 0</c>, which Sentinel never promotes, while another linked
/// replica serves the certificate issued for it, and its priority is put back once that is no longer so. When no other
/// replica qualifies, none is held back: a master some clients refuse for a minute beats no failover; and once there is
/// no master, every hold is lifted, whichever replica Sentinel is about to choose. Pure.
/// </summary>
public static class CertificateRules
{
    public static IEnumerable<HealAction> Actions(ClusterObservation observation, RedisNodeObservation master)
    {
        var stale = observation.StaleCertificates.ToHashSet(StringComparer.Ordinal);
        var replicas = observation.Nodes.Where(n => n != master && n.Reachable && n.IsReplica && n.MasterAddress == master.Address).ToList();
        var promotable = replicas.Where(r => !stale.Contains(r.Name) && r.MasterLinkUp).Select(r => r.Name).ToList();
        foreach (var replica in replicas)
        {
            // Not read (an older observation): nothing to compare.
            if (!replica.Config.TryGetValue(ReplicaPriority.Key, out var current))
            {
                continue;
            }

            var hold = stale.Contains(replica.Name) && promotable.Count > 0;
            if (hold && current != ReplicaPriority.Held)
            {
                yield return new SetConfig(replica.Name, replica.Address!, ReplicaPriority.Key, ReplicaPriority.Held,
                    $"{replica.Name} serves a TLS certificate not issued for its address; Sentinel must not promote it while {string.Join(", ", promotable)} can be");
            }
            else if (!hold && current == ReplicaPriority.Held)
            {
                yield return new SetConfig(replica.Name, replica.Address!, ReplicaPriority.Key, ReplicaPriority.Normal,
                    stale.Contains(replica.Name)
                        ? $"no other replica can be promoted; {replica.Name} may be, though its TLS certificate was not issued for its address"
                        : $"{replica.Name} serves the TLS certificate issued for its address; Sentinel may promote it again");
            }
        }
    }

    /// <summary>Without a master, no replica is held back from Sentinel's choice.</summary>
    public static IEnumerable<HealAction> Releases(ClusterObservation observation) =>
        observation.Nodes
            .Where(n => n.Reachable && n.IsReplica && IsHeld(n))
            .Select(n => (HealAction)new SetConfig(n.Name, n.Address!, ReplicaPriority.Key, ReplicaPriority.Normal,
                $"there is no master: Sentinel may promote any replica, {n.Name} too"));

    /// <summary>Whether the node was read with <c>replica-priority 0</c>: held back from Sentinel's choice.</summary>
    public static bool IsHeld(RedisNodeObservation node) =>
        node.Config.TryGetValue(ReplicaPriority.Key, out var priority) && priority == ReplicaPriority.Held;
}
