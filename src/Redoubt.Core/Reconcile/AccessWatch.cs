using Redoubt.Core.Access;
using Redoubt.Core.Observation;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// Between passes (a Ready resource is passed every 5 s), looks every second at who may log in: an application on a
/// fresh connection to the master, and every node's users (ACL LIST) against the plan. A difference asks for a pass at
/// once, which repairs it (the healer's <see cref="Healing.AccessRules"/>) and says so in the status and the events:
/// a password or an ACL changed behind Redoubt's back is healed within about a second, not five. The end of a
/// rotation's grace period asks for a pass too: the old password stops working within about a second of it.
/// </summary>
public sealed class AccessWatch(ResourceKnowledge knowledge, RedisAdmin fastAdmin, TimeProvider time)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long one node's ACL LIST may take. Not the fast probes' 250 ms: nothing here races a failover, and on a
    /// loaded machine a reply that came late was taken for "no drift", leaving the repair to the next 5 s pass.
    /// </summary>
    public static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Runs until cancelled; <paramref name="secrets"/> gives the current passwords, <paramref name="requestPass"/> asks for a pass.</summary>
    public async Task RunAsync(Func<ResourceSecrets> secrets, Action requestPass, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(Cadence.UntilNext(Period, time), time, cancellationToken).ConfigureAwait(false);
            var current = secrets();
            if (current.Retiring is { } retiring && time.GetUtcNow() >= retiring.Until)
            {
                requestPass();
            }
            else if (knowledge.Observation is { } observation && await DriftedAsync(observation, current, cancellationToken).ConfigureAwait(false))
            {
                requestPass();
            }
        }
    }

    private async Task<bool> DriftedAsync(ClusterObservation observation, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        // The pass already knows: it runs again soon by itself.
        if (observation.ApplicationRefused.Count > 0)
        {
            return false;
        }

        if (knowledge.History.Master?.Address is { } master && await ApplicationLogin.RefusedAsync(master, secrets.Application, fastAdmin.Tls, cancellationToken).ConfigureAwait(false) is not null)
        {
            return true;
        }

        if (AccessPlan.From(secrets) is not { } access)
        {
            return false;
        }

        // Every node that answered, its ACL read or not: a pass whose reads timed out (a loaded machine) saw no drift on
        // those nodes and repairs nothing there, and skipping them here too would leave a drift for the next pass.
        var checks = observation.Nodes.Where(n => n.Reachable && n.Address is not null).Select(n => DriftedAsync(n.Address!, NodeKind.Redis, access.RedisUsers))
            .Concat(observation.Sentinels.Where(s => s.Reachable && s.Address is not null).Select(s => DriftedAsync(s.Address!, NodeKind.Sentinel, access.SentinelUsers)));
        return (await Task.WhenAll(checks).ConfigureAwait(false)).Any(drifted => drifted);
    }

    private async Task<bool> DriftedAsync(string address, NodeKind kind, IReadOnlyList<AclUser> wanted)
    {
        try
        {
            var list = await fastAdmin.ExecuteAsync(address, kind, ListTimeout, "ACL", "LIST").ConfigureAwait(false);
            return AclDrift.Compare(wanted, AclEntry.ParseAll(list.Array.Select(l => l.Text ?? ""))).Count > 0;
        }
        catch (RedisAdminException)
        {
            // Silent or refusing: the passes and the other watches deal with a node that does not answer.
            return false;
        }
    }
}
