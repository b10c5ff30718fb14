using Redoubt.Core.Access;
using Redoubt.Core.Observation;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// Between passes (a Ready resource is passed every 5 s), looks every second at who may log in: the master's users (ACL
/// LIST) against the plan, and those of <see cref="OthersPerRound"/> more nodes or Sentinels in turn; where the platform
/// keeps one password instead of ACL users, an application's login on a fresh connection to the master. A difference
/// asks for a pass at once, which repairs it (the healer's <see cref="Healing.AccessRules"/>) and says so in the status
/// and the events: a password or an ACL changed behind Redoubt's back on the master is healed within about a second,
/// elsewhere within a few (every pass reads every node's ACL too). The end of a rotation's grace period asks for a pass
/// too: the old password stops working within about a second of it.
/// </summary>
/// <remarks>
/// The master's ACL holds the application user's password hash and flags, so reading it says everything a fresh login
/// would, without a connection opened and closed every second per resource. Reading every node every second was a
/// third of an idle control plane's requests at 10 resources; a node other than the master can refuse only Redoubt's
/// own links and a few applications' reads, which a repair within three seconds serves as well.
/// </remarks>
public sealed class AccessWatch(ResourceKnowledge knowledge, RedisAdmin fastAdmin, TimeProvider time)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Nodes and Sentinels other than the master read per round: with 2 replicas and 3 Sentinels, each every 3 s.</summary>
    public const int OthersPerRound = 2;

    private int _turn;

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

        var master = knowledge.History.Master?.Address;
        if (AccessPlan.From(secrets) is not { } access)
        {
            return master is not null && await ApplicationLogin.RefusedAsync(master, secrets.Application, fastAdmin.Tls, cancellationToken).ConfigureAwait(false) is not null;
        }

        // Every node that answered, its ACL read or not: a pass whose reads timed out (a loaded machine) saw no drift on
        // those nodes and repairs nothing there, and skipping them here too would leave a drift for the next pass.
        var others = observation.Nodes.Where(n => n.Reachable && n.Address is not null && n.Address != master).Select(n => (Address: n.Address!, Kind: NodeKind.Redis))
            .Concat(observation.Sentinels.Where(s => s.Reachable && s.Address is not null).Select(s => (Address: s.Address!, Kind: NodeKind.Sentinel)))
            .ToList();
        var turn = _turn++;
        var checks = Turn(others, turn, OthersPerRound).Select(o => DriftedAsync(o.Address, o.Kind, o.Kind == NodeKind.Redis ? access.RedisUsers : access.SentinelUsers));
        if (master is not null)
        {
            checks = checks.Append(DriftedAsync(master, NodeKind.Redis, access.RedisUsers));
        }

        return (await Task.WhenAll(checks).ConfigureAwait(false)).Any(drifted => drifted);
    }

    /// <summary>The <paramref name="count"/> items whose turn it is in round <paramref name="turn"/>, going round <paramref name="items"/>.</summary>
    internal static IEnumerable<T> Turn<T>(IReadOnlyList<T> items, int turn, int count) =>
        items.Count <= count
            ? items
            : Enumerable.Range(0, count).Select(i => items[(int)(((long)turn * count + i) % items.Count)]);

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
