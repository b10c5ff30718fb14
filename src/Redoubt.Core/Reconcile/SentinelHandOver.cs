using System.Globalization;
using Microsoft.Extensions.Logging;
using Redoubt.Core.Access;
using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// Hands the Sentinels over to a promoted replica the moment it is master: every one of them, the failover's leader
/// included, names it within milliseconds, in the failover's own epoch, so none can ever be sent back.
///
/// The leader of a failover confirms the promotion only on its next INFO to the promoted replica, sent once a second
/// during a failover (sentinel.c, whatever the configured period), and the others learn it from the leader's hello after
/// that: until then a client that asks a Sentinel is sent to the old master's address. Redoubt, which sees the promotion
/// on the replica itself, tells every Sentinel what the leader will tell them (see <see cref="PromotionAnnouncement"/>).
/// When the announcement cannot be made (the leader does not say which epoch or replica), the Sentinels learn the
/// promotion from the leader as Sentinel does it: slower, never wrong.
/// </summary>
public sealed class SentinelHandOver(FastProbes probes, HealExecutor fastExecutor, Journal journal, ILogger logger, TimeProvider time)
{
    /// <summary>
    /// Keeps the others out of the leader's way while it promotes: behind a quorum higher than the number of Sentinels,
    /// so that they never judge the master down themselves and start a competing election.
    /// </summary>
    public async Task StandAsideAsync(ResourcePlan plan, IReadOnlyList<string> others) =>
        await Task.WhenAll(others.Select(o => BestEffort.RunAsync(() => probes.Admin.ExecuteAsync(o, NodeKind.Sentinel, FastProbes.ConfigWriteTimeout,
            "SENTINEL", "SET", plan.MasterName, "quorum", (plan.Sentinels.Count + 1).ToString(CultureInfo.InvariantCulture))))).ConfigureAwait(false);

    /// <summary>The planned quorum again (the healer restores it too, should Redoubt die first).</summary>
    public async Task RestoreQuorumAsync(ResourcePlan plan, IEnumerable<string> sentinels) =>
        await Task.WhenAll(sentinels.Select(s => BestEffort.RunAsync(() => probes.Admin.ExecuteAsync(s, NodeKind.Sentinel, FastProbes.ConfigWriteTimeout, "SENTINEL", "SET", plan.MasterName, "quorum", plan.Spec.Sentinel.Quorum.ToString(CultureInfo.InvariantCulture))))).ConfigureAwait(false);

    /// <summary>
    /// <see cref="AnnounceAsync"/>, and then, unless the leader names the new master already, waits until it does.
    /// </summary>
    public async Task CompleteAsync(ResourcePlan plan, string leader, IReadOnlyList<string> sentinels, string fromAddress, string promoted, IReadOnlyList<string> replicas, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        if (!await AnnounceAsync(plan, leader, sentinels, fromAddress, promoted, replicas, secrets, cancellationToken).ConfigureAwait(false))
        {
            await AwaitLeaderAsync(plan, leader, promoted, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Tells every Sentinel that <paramref name="promoted"/>, which answers as master, replaced
    /// <paramref name="fromAddress"/>, and points the old master's other replicas at it (the leader would have, once it
    /// confirmed; told first, it resets its failover to the new master instead). True when the leader names the new
    /// master now; false when the announcement could not be made or the leader held an epoch as high already (it
    /// confirmed meanwhile, or holds a configuration Redoubt does not know of): it speaks for itself then.
    /// </summary>
    public async Task<bool> AnnounceAsync(ResourcePlan plan, string leader, IReadOnlyList<string> sentinels, string fromAddress, string promoted, IReadOnlyList<string> replicas, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        var identities = Task.WhenAll(sentinels.Select(s => probes.IdentityAsync(s, plan.MasterName)));
        var selected = probes.PromotedByAsync(leader, plan.MasterName);
        var named = probes.MasterNamedByAsync(leader, plan.MasterName);
        var known = await identities.ConfigureAwait(false);
        if (await named.ConfigureAwait(false) == promoted)
        {
            // It confirmed already (with no other replica to reconfigure, it also ended its failover, and its master
            // is no longer at the old address its vote is filed under): its own hello, forced at the switch, tells
            // the others.
            return true;
        }

        var leaderIdentity = known.First(i => i.Address == leader);
        var vote = leaderIdentity.RunId is { } id ? await probes.VoteAsync(leader, fromAddress, id).ConfigureAwait(false) : null;
        var (hellos, whyNot) = PromotionAnnouncement.Plan(plan.MasterName, leaderIdentity, vote, await selected.ConfigureAwait(false), promoted, known);
        if (whyNot is not null)
        {
            // A leader that confirmed the promotion between the first question and this one has reset its master to
            // the new address, vote and all (sentinel.c, sentinelResetMaster), so no vote is found: it names the new
            // master now, and its own hello, forced at the switch, tells the others.
            if (await probes.MasterNamedByAsync(leader, plan.MasterName).ConfigureAwait(false) == promoted)
            {
                return true;
            }

            journal.Normal("HandOverSkipped", $"{whyNot}: the Sentinels follow the new master once {leader} confirms it");
            return false;
        }

        var told = await Task.WhenAll(sentinels.Select((s, i) => hellos[i] is { } hello
            ? RunAsync(plan, new AnnounceMaster(s, s, hello, "hand over to the promoted replica"), secrets, cancellationToken)
            : Task.FromResult(false))).ConfigureAwait(false);
        ReconcilerLog.HandOver(logger, $"{string.Join(", ", sentinels.Where((_, i) => told[i]))} told that {promoted} is master in epoch {hellos.OfType<SentinelHello>().First().Epoch}");
        await AttachReplicasAsync(plan, fromAddress, promoted, replicas, secrets, cancellationToken).ConfigureAwait(false);
        return await probes.MasterNamedByAsync(leader, plan.MasterName).ConfigureAwait(false) == promoted;
    }

    /// <summary>
    /// Points the replicas that still follow the old master at the new one, as the leader does after it confirms (a
    /// leader told of its own promotion first resets its failover, and would only correct them after a failover timeout).
    /// </summary>
    private async Task AttachReplicasAsync(ResourcePlan plan, string fromAddress, string promoted, IReadOnlyList<string> replicas, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        var others = replicas.Where(r => r != promoted && r != fromAddress).ToList();
        var masters = await Task.WhenAll(others.Select(probes.MasterOfAsync)).ConfigureAwait(false);
        await Task.WhenAll(others.Where((_, i) => masters[i] == fromAddress).Select(r =>
            RunAsync(plan, new AttachReplica(r, r, promoted, "the old master's replica follows the promoted one"), secrets, cancellationToken))).ConfigureAwait(false);
    }

    private async Task<bool> RunAsync(ResourcePlan plan, HealAction action, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        try
        {
            return await fastExecutor.ExecuteAsync(plan, action, secrets, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisAdminException e)
        {
            // A Sentinel not told learns the promotion from the leader's hello; a replica not attached, from the healer.
            ReconcilerLog.HandOver(logger, $"could not {action.Describe()}: {e.Message}");
            return false;
        }
    }

    /// <summary>Waits until the leader names the promoted replica itself: its INFO to the promoted replica comes once a second during a failover.</summary>
    public async Task AwaitLeaderAsync(ResourcePlan plan, string leader, string promoted, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromMilliseconds(plan.Spec.Sentinel.FailoverTimeout + 2000L);
        while (time.GetUtcNow() < deadline && await probes.MasterNamedByAsync(leader, plan.MasterName).ConfigureAwait(false) != promoted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
