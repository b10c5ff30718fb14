using Microsoft.Extensions.Logging;
using Redoubt.Core.Access;
using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// The fast path: the platform saw the master's process exit (or the healer found it restarted parked), so there is
/// nothing to wait for. Sentinel is asked to fail over at once (it keeps the epochs and configs consistent) instead of
/// after down-after; the promotion is seen on the replicas themselves, and the Sentinels are handed over to it.
/// </summary>
public sealed class FastFailover(ResourceKnowledge knowledge, FastProbes probes, SentinelHandOver handOver, Journal journal, ILogger logger, TimeProvider time)
{
    /// <summary>How long the replicas' offsets may keep moving before a failover goes ahead anyway.</summary>
    public static readonly TimeSpan SettleLimit = TimeSpan.FromMilliseconds(500);

    /// <summary>A Sentinel's INFO period during a failover, and a margin: every Sentinel has refreshed its offsets by then.</summary>
    private static readonly TimeSpan RankingLimit = TimeSpan.FromMilliseconds(LeaderChoice.InfoPeriodMs + 300);

    /// <summary>How long a promotion is waited for: a forced failover that Sentinel aborts and restarts can take two failover timeouts.</summary>
    private static TimeSpan PromotionLimit(ResourcePlan plan) => TimeSpan.FromMilliseconds(2L * plan.Spec.Sentinel.FailoverTimeout + 2000);

    /// <summary>True when a replica was promoted and the Sentinels handed over to it; false when it left the failover to Sentinel.</summary>
    /// <param name="stillRunning">
    /// The master is being stopped, not gone (a pod in its grace period): its writes are paused before anything else.
    /// </param>
    public async Task<bool> RunAsync(ResourcePlan plan, string fromNode, string fromAddress, DateTimeOffset since, string why, ResourceSecrets secrets, CancellationToken cancellationToken, bool stillRunning = false)
    {
        using var failover = knowledge.BeginFailover();
        if (failover is null)
        {
            return false;
        }

        journal.Warning("FastFailover", $"{why}: asking Sentinel to fail over now");
        if (stillRunning)
        {
            // Until its process ends (Redis pauses writes itself only once the signal to stop reaches it) it takes writes,
            // and every write acknowledged after the replicas' offsets were ranked, or after the promotion, is lost.
            // Paused first, it lets the replicas catch up with it, and the ranking promotes one that has every
            // acknowledged write. The pause outlasts the longest wait below; the node is on its way out anyway.
            var pause = PromotionLimit(plan) + SettleLimit + RankingLimit;
            if (!await probes.PauseWritesAsync(fromAddress, pause).ConfigureAwait(false))
            {
                journal.Normal("WritesNotPaused", $"{fromNode} did not answer CLIENT PAUSE (already stopped, or stopping): failing over without it");
            }
        }

        var sentinels = knowledge.SentinelAddresses();
        if (sentinels.Count == 0)
        {
            journal.Warning("FailoverNotStarted", "no Sentinel is reachable; Sentinel will fail over after down-after-milliseconds once one is");
            return false;
        }

        var knowing = Task.WhenAll(sentinels.Select(s => probes.ReplicasKnownByAsync(s, plan.MasterName)));
        var views = await ViewAllAsync(plan, sentinels).ConfigureAwait(false);
        var known = await knowing.ConfigureAwait(false);
        if (FastFailoverCheck.WhyNot(fromAddress, views) is { } whyNot)
        {
            journal.Normal("FailoverNotNeeded", whyNot);
            if (!await FollowSentinelsAsync(plan, fromNode, fromAddress, since, why, sentinels, views, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            // Left to themselves they would try again only two failover timeouts after the attempt that ended; a forced
            // failover needs neither a vote nor that wait.
            journal.Warning("SentinelFailoverStalled", $"the Sentinels' own failover of {fromNode} ended without a promotion (an election nobody won, a leader that died, or no replica it would take), and Sentinel waits {2L * plan.Spec.Sentinel.FailoverTimeout} ms before it tries again: asking one to fail over now");
            views = await ViewAllAsync(plan, sentinels).ConfigureAwait(false);
            known = await Task.WhenAll(sentinels.Select(s => probes.ReplicasKnownByAsync(s, plan.MasterName))).ConfigureAwait(false);
            if (!FastFailoverCheck.Stalled(fromAddress, views))
            {
                return false;
            }
        }

        // One Sentinel leads; the others stand aside until the promotion. Otherwise they reach down-after while the leader
        // waits for the promotion, elect a leader of their own and promote a second master.
        var leader = sentinels[await ChooseLeaderAsync(plan, sentinels, views, known, fromAddress, cancellationToken).ConfigureAwait(false)];
        var others = sentinels.Where(s => s != leader).ToList();
        switch (await AskToFailOverAsync(plan, leader).ConfigureAwait(false))
        {
            case FailoverAnswer.Refused:
                journal.Warning("FailoverNotStarted", $"Sentinel {leader} did not accept SENTINEL FAILOVER; Sentinel fails over after down-after-milliseconds");
                return false;
            case FailoverAnswer.InProgress:
                // It started a failover of its own since it was asked: an election runs, and the others must vote in it.
                journal.Normal("FailoverNotNeeded", $"Sentinel {leader} is failing over already; leaving it to the Sentinels");
                return false;
        }

        await handOver.StandAsideAsync(plan, others).ConfigureAwait(false);
        try
        {
            var limit = PromotionLimit(plan);
            if (await WaitForPromotionAsync(plan, leader, fromAddress, limit, askAgain: true, cancellationToken).ConfigureAwait(false) is not { } promoted)
            {
                journal.Warning("FailoverSlow", $"no replica became master within {limit.TotalMilliseconds:F0} ms of SENTINEL FAILOVER");
                return false;
            }

            var promotedName = knowledge.NodeNameOf(promoted);
            journal.Failover(since, time.GetUtcNow() - since, fromNode, promotedName, why);
            await journal.MoveMasterDuringAsync(promotedName, () =>
                handOver.CompleteAsync(plan, leader, sentinels, fromAddress, promoted, knowledge.NodeAddressesExcept(fromAddress), secrets, cancellationToken)).ConfigureAwait(false);
            return true;
        }
        finally
        {
            await handOver.RestoreQuorumAsync(plan, others).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sentinel got there first (its own failover runs, or is over): the platform's routing follows the promotion the
    /// moment the new master answers as one, as it does after Redoubt's own failover, not at the end of a later pass.
    /// True when the Sentinels' own failover ended without a promotion (<see cref="FastFailoverCheck.Stalled"/>): the
    /// caller forces one.
    /// </summary>
    private async Task<bool> FollowSentinelsAsync(ResourcePlan plan, string fromNode, string fromAddress, DateTimeOffset since, string why, List<string> sentinels, SentinelView?[] views, CancellationToken cancellationToken)
    {
        if (views.All(v => v is null))
        {
            return false;
        }

        var replicas = knowledge.NodeAddressesExcept(fromAddress);
        var deadline = time.GetUtcNow() + PromotionLimit(plan);
        while (time.GetUtcNow() < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var promoted = await probes.FirstMasterAsync(replicas).ConfigureAwait(false)
                ?? views.FirstOrDefault(v => v is not null && v.Master != fromAddress)?.Master;
            if (promoted is not null)
            {
                var name = knowledge.NodeNameOf(promoted);
                // The failover started at the first silence Redoubt knows of, if that came before the exit.
                var start = knowledge.History.FailoverStart(since);
                journal.SentinelFailedOver(start < since ? start : since, time.GetUtcNow(), fromNode, name, $"Sentinel failed over: {why}");
                await journal.MasterMovedAsync(name).ConfigureAwait(false);
                return false;
            }

            if (FastFailoverCheck.Stalled(fromAddress, views))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
            views = await ViewAllAsync(plan, sentinels).ConfigureAwait(false);
        }

        return false;
    }

    private async Task<SentinelView?[]> ViewAllAsync(ResourcePlan plan, IEnumerable<string> sentinels) =>
        await Task.WhenAll(sentinels.Select(s => probes.ViewAsync(s, plan.MasterName))).ConfigureAwait(false);

    /// <summary>
    /// The Sentinel to ask: one that would promote a replica holding all of the stream the others hold. Where the
    /// replicas got equally far (the common case) that is any of them, at no cost. Where one got further (a replica
    /// slow to read when the master died, or a frozen master's last writes reaching one replica first), a Sentinel
    /// whose last INFO predates that would promote by a stale offset and lose the difference: Redoubt waits for a
    /// Sentinel's next INFO (a second at most, during which no write is possible anyway) and asks the first that
    /// ranks the replicas right; only when none does in time does it ask the usual one, and says what may be lost.
    /// </summary>
    private async Task<int> ChooseLeaderAsync(ResourcePlan plan, List<string> sentinels, SentinelView?[] views, IReadOnlyList<KnownReplica>?[] known, string fromAddress, CancellationToken cancellationToken)
    {
        var offsets = await probes.SettledOffsetsAsync(knowledge.NodeAddressesExcept(fromAddress), SettleLimit, time, cancellationToken).ConfigureAwait(false);
        var furthest = ReplicaOffsets.Furthest(offsets);
        var deadline = time.GetUtcNow() + RankingLimit;
        var hurried = false;
        try
        {
            while (true)
            {
                var candidates = known.Select((k, i) => views[i] is null ? null : k ?? []).ToList();
                if (LeaderChoice.Choose(candidates, furthest) is { } ranked)
                {
                    return ranked;
                }

                if (time.GetUtcNow() >= deadline)
                {
                    var behind = offsets.Values.OfType<long>().DefaultIfEmpty().Max() - offsets.Values.OfType<long>().DefaultIfEmpty().Min();
                    journal.Warning("FailoverBehind", $"no Sentinel ranked {string.Join(", ", furthest.Select(knowledge.NodeNameOf))} (furthest in the stream) first within {RankingLimit.TotalMilliseconds:F0} ms; the promoted replica may lack up to {behind} bytes of the old master's last writes");
                    return LeaderChoice.Choose(candidates)!.Value;
                }

                if (!hurried)
                {
                    // Until a Sentinel's INFO shows a replica's link down (after which it asks once a second), it asks at
                    // its configured period: a short one now brings every Sentinel the replicas' final offsets within a
                    // timer tick or two, instead of up to a second.
                    hurried = true;
                    await SetInfoPeriodAsync(sentinels, HurriedInfoPeriodMs).ConfigureAwait(false);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
                known = await Task.WhenAll(sentinels.Select(s => probes.ReplicasKnownByAsync(s, plan.MasterName))).ConfigureAwait(false);
            }
        }
        finally
        {
            if (hurried)
            {
                // The healer puts the planned period back too, should Redoubt die first.
                await SetInfoPeriodAsync(sentinels, plan.SentinelTimers.First(t => t.Key == Planner.InfoPeriod).Value).ConfigureAwait(false);
            }
        }
    }

    /// <summary>SENTINEL DEBUG info-period while the leader is chosen: short enough for a timer tick, long enough not to flood.</summary>
    private const string HurriedInfoPeriodMs = "50";

    private async Task SetInfoPeriodAsync(IEnumerable<string> sentinels, string period) =>
        await Task.WhenAll(sentinels.Select(s => BestEffort.RunAsync(() => probes.Admin.ExecuteAsync(s, NodeKind.Sentinel, FastProbes.Timeout, "SENTINEL", "DEBUG", Planner.InfoPeriod, period)))).ConfigureAwait(false);

    /// <summary>What <paramref name="sentinel"/> says of the resource's master (SENTINEL MASTER), or null when it does not answer.</summary>
    public Task<SentinelView?> ViewAsync(ResourcePlan plan, string sentinel) => probes.ViewAsync(sentinel, plan.MasterName);

    /// <summary>What the node at <paramref name="address"/> answers to ROLE ("master", "slave"), or null when it does not answer.</summary>
    public Task<string?> RoleOfAsync(string address) => probes.RoleOfAsync(address);

    /// <summary>SENTINEL FAILOVER: a forced failover, which Sentinel starts at once, without waiting for down-after or a vote.</summary>
    public async Task<FailoverAnswer> AskToFailOverAsync(ResourcePlan plan, string sentinel)
    {
        try
        {
            await probes.Admin.ExecuteAsync(sentinel, NodeKind.Sentinel, FastProbes.ConfigWriteTimeout, "SENTINEL", "FAILOVER", plan.MasterName).ConfigureAwait(false);
            return FailoverAnswer.Accepted;
        }
        catch (RedisReplyException e) when (e.Message.StartsWith("INPROG", StringComparison.Ordinal))
        {
            return FailoverAnswer.InProgress;
        }
        catch (RedisAdminException e)
        {
            ReconcilerLog.SentinelRefused(logger, sentinel, e.Message);
            return FailoverAnswer.Refused;
        }
    }

    /// <summary>
    /// The address of the node that became master after SENTINEL FAILOVER: the first replica that reports the role
    /// itself (writes can go there from that moment), or the master the leader names, whichever comes first.
    /// Sentinel only notices a promotion on its next INFO to the replica, up to a second later.
    /// </summary>
    public async Task<string?> WaitForPromotionAsync(ResourcePlan plan, string leader, string fromAddress, TimeSpan limit, bool askAgain, CancellationToken cancellationToken)
    {
        // A forced failover that finds no good replica (a Sentinel that has only just connected to them) is aborted,
        // not retried: asking again each second restarts it. A failover already running answers INPROG.
        var asked = time.GetUtcNow();
        var replicas = knowledge.NodeAddressesExcept(fromAddress);
        var deadline = time.GetUtcNow() + limit;
        while (time.GetUtcNow() < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var roles = Task.WhenAll(replicas.Select(probes.RoleOfAsync));
            var named = probes.MasterNamedByAsync(leader, plan.MasterName);
            var answered = await roles.ConfigureAwait(false);
            var fromLeader = await named.ConfigureAwait(false);
            if (replicas.Where((_, i) => answered[i] == "master").FirstOrDefault() is { } promoted)
            {
                return promoted;
            }

            if (fromLeader is not null && fromLeader != fromAddress)
            {
                return fromLeader;
            }

            // Only when every replica answered as a replica: one that did not answer may have been promoted already (a
            // failover Sentinel then aborted, slow to see it), and asking again would promote a second master.
            if (askAgain && time.GetUtcNow() - asked > TimeSpan.FromSeconds(1) && answered.All(role => role is not null))
            {
                asked = time.GetUtcNow();
                await AskToFailOverAsync(plan, leader).ConfigureAwait(false);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), time, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }
}

public enum FailoverAnswer
{
    Accepted,
    /// <summary>INPROG: a failover runs already, ours (asked again) or one of its own.</summary>
    InProgress,
    Refused,
}
