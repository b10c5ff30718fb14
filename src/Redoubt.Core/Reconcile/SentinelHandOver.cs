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
/// Hands the Sentinels over to a promoted replica the moment it is master, without any of them ever pointing back.
///
/// A Sentinel takes a master address from a peer's hello whenever the hello carries a higher configuration epoch than
/// its own (sentinel.c, sentinelProcessHelloMessage). The leader of a failover confirms the promotion only on its next
/// INFO to the promoted replica, up to a second later, and until then its hellos still name the old master with the
/// old epoch. A Sentinel pointed at the new master by SENTINEL MONITOR starts at epoch 0, so such a hello sent it back
/// to the old address (where the killed node had been restarted, parked) for up to a second: 4 of 5 kills did this.
///
/// So the leader's hellos are held back first (SENTINEL DEBUG publish-period, process-wide, for this Sentinel alone),
/// then the others are pointed at the new master, and the leader's hellos are released once it names the new master
/// itself. Sentinel sends the hello that announces its promotion at once whatever the period (it forces it), and
/// that hello carries the new epoch: from then on every Sentinel agrees, on the new master and the new epoch.
/// </summary>
public sealed class SentinelHandOver(FastProbes probes, HealExecutor fastExecutor, Journal journal, ILogger logger, TimeProvider time)
{
    /// <summary>Long enough to outlast any failover; the healer restores the planned period should Redoubt die meanwhile.</summary>
    public const int HeldPublishPeriodMs = 600_000;

    /// <summary>SENTINEL DEBUG publish-period, for a leader-to-be in the same write as its SENTINEL FAILOVER.</summary>
    public static object[] HoldCommand => ["SENTINEL", "DEBUG", "publish-period", HeldPublishPeriodMs.ToString(CultureInfo.InvariantCulture)];

    /// <summary>
    /// Whether the others may be pointed at the new master with SENTINEL MONITOR, which starts them at configuration
    /// epoch 0: only when every planned Sentinel answers, so that none is left holding the old master with its older,
    /// higher epoch, whose next hello would send them back; and when every Sentinel's links to its peers are sound,
    /// because a hello written before a partition waits in a TCP buffer and arrives, old master and old epoch, when the
    /// link recovers (the storm caught one arriving 0.9 s into the next failover, 3 s after the partition healed).
    /// </summary>
    public static bool IsSafe(ResourcePlan plan, IReadOnlyList<SentinelView?> views, IReadOnlyList<bool?> peersSound) =>
        views.Count(v => v is not null) >= plan.Sentinels.Count && peersSound.Count(p => p == true) >= plan.Sentinels.Count;

    /// <summary>What each Sentinel says of its links to its peers (see <see cref="IsSafe"/>).</summary>
    public async Task<bool?[]> PeersSoundAsync(ResourcePlan plan, IReadOnlyList<string> sentinels) =>
        await Task.WhenAll(sentinels.Select(s => probes.PeersSoundAsync(s, plan.MasterName, plan.Sentinels.Count - 1))).ConfigureAwait(false);

    /// <summary>
    /// Keeps the others out of the leader's way while it promotes: removed, when they will be handed over; otherwise
    /// behind a quorum higher than the number of Sentinels, so that they never judge the master down themselves.
    /// </summary>
    public async Task StandAsideAsync(ResourcePlan plan, IReadOnlyList<string> others, bool handOff)
    {
        object[] command = handOff
            ? ["SENTINEL", "REMOVE", plan.MasterName]
            : ["SENTINEL", "SET", plan.MasterName, "quorum", (plan.Sentinels.Count + 1).ToString(CultureInfo.InvariantCulture)];
        await Task.WhenAll(others.Select(o => BestEffort.RunAsync(() => probes.Admin.PipelineAsync(o, NodeKind.Sentinel, [command], FastProbes.ConfigWriteTimeout)))).ConfigureAwait(false);
    }

    /// <summary>The planned quorum again (the healer restores it too, should Redoubt die first).</summary>
    public async Task RestoreQuorumAsync(ResourcePlan plan, IEnumerable<string> sentinels) =>
        await Task.WhenAll(sentinels.Select(s => BestEffort.RunAsync(() => probes.Admin.ExecuteAsync(s, NodeKind.Sentinel, FastProbes.ConfigWriteTimeout, "SENTINEL", "SET", plan.MasterName, "quorum", plan.Spec.Sentinel.Quorum.ToString(CultureInfo.InvariantCulture))))).ConfigureAwait(false);

    public async Task HoldAsync(IEnumerable<string> sentinels) =>
        await Task.WhenAll(sentinels.Select(s => BestEffort.RunAsync(() => probes.Admin.PipelineAsync(s, NodeKind.Sentinel, [HoldCommand], FastProbes.Timeout)))).ConfigureAwait(false);

    /// <summary>
    /// Points every Sentinel but the leader at the promoted replica (the leader's hellos must be held already), waits
    /// until the leader names it too, and releases the hellos of all of them. <paramref name="othersStoodAside"/>: they
    /// monitor nothing now (the fast path removed them); otherwise what they monitor is replaced.
    /// </summary>
    public async Task CompleteAsync(ResourcePlan plan, string leader, IReadOnlyList<string> others, bool othersStoodAside, string promoted, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        await PointOthersAsync(plan, others, othersStoodAside, promoted, secrets, cancellationToken).ConfigureAwait(false);
        await AwaitLeaderAsync(plan, leader, others, promoted, cancellationToken).ConfigureAwait(false);
    }

    public async Task PointOthersAsync(ResourcePlan plan, IReadOnlyList<string> others, bool othersStoodAside, string promoted, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        if (others.Count == 0)
        {
            return;
        }

        // Held too: a hello that one of them sends before its turn still names the old master with the old epoch.
        await HoldAsync(others).ConfigureAwait(false);
        var rejoin = new MonitorMaster([.. others.Select(o => new SentinelTarget(o, o, Replace: !othersStoodAside))], promoted, "hand over to the promoted replica");
        try
        {
            await fastExecutor.ExecuteAsync(plan, rejoin, secrets, cancellationToken).ConfigureAwait(false);
            ReconcilerLog.HandOver(logger, $"{string.Join(", ", others)} point at {promoted}");
        }
        catch (RedisAdminException e)
        {
            // The healer points them at the master on its next pass (they monitor nothing, or lack their password).
            journal.Warning("ActionFailed", $"could not {rejoin.Describe()}: {e.Message}");
        }
    }

    /// <summary>Waits until the leader names the promoted replica itself, then releases everyone's hellos.</summary>
    public async Task AwaitLeaderAsync(ResourcePlan plan, string leader, IReadOnlyList<string> others, string promoted, CancellationToken cancellationToken)
    {
        try
        {
            // The leader's INFO to the promoted replica comes once a second during a failover, and it moves on from there.
            var deadline = time.GetUtcNow() + TimeSpan.FromMilliseconds(plan.Spec.Sentinel.FailoverTimeout + 2000L);
            while (time.GetUtcNow() < deadline && await probes.MasterNamedByAsync(leader, plan.MasterName).ConfigureAwait(false) != promoted)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await ReleaseAsync(plan, [leader, .. others]).ConfigureAwait(false);
        }
    }

    public async Task ReleaseAsync(ResourcePlan plan, IEnumerable<string> sentinels)
    {
        var period = plan.SentinelTimers.FirstOrDefault(t => t.Key == Planner.PublishPeriod)?.Value ?? "2000";
        await Task.WhenAll(sentinels.Select(s => BestEffort.RunAsync(() => probes.Admin.ExecuteAsync(s, NodeKind.Sentinel, FastProbes.Timeout, "SENTINEL", "DEBUG", "publish-period", period)))).ConfigureAwait(false);
    }
}
