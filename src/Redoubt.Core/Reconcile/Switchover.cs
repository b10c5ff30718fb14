using System.Diagnostics;
using Redoubt.Core.Access;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// Planned switchover without losing an acknowledged write: pause writes on the master, wait until the chosen replica
/// has applied everything, let Sentinel fail over to it, hand the other Sentinels over, demote the old master, resume.
/// </summary>
public sealed class Switchover(
    ResourceKnowledge knowledge, RedisAdmin admin, HealExecutor executor, FastFailover fastFailover, SentinelHandOver handOver, Journal journal, TimeProvider time)
{
    /// <summary>What is left of the write pause when the old master is demoted at the latest: time to unpause it.</summary>
    private static readonly TimeSpan PauseMargin = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MinimumDemoteTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How many times the pause is renewed while Sentinel still runs a failover it accepted.</summary>
    private const int PauseRenewals = 2;

    /// <summary>What is left of the current pause, less the margin, and never less than a second.</summary>
    private static TimeSpan Left(int pauseMs, Stopwatch window)
    {
        var left = TimeSpan.FromMilliseconds(pauseMs) - PauseMargin - window.Elapsed;
        return left > MinimumDemoteTimeout ? left : MinimumDemoteTimeout;
    }

    /// <summary>
    /// <paramref name="observation"/> must include a master that a scale-down removes: it is the one to switch away from.
    /// </summary>
    public async Task<SwitchoverResult> RunAsync(ResourcePlan plan, ClusterObservation observation, string? target, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        var masters = observation.Nodes.Where(n => n.IsMaster).ToList();
        if (masters.Count != 1)
        {
            return Refuse($"a switchover needs exactly one master; there are {masters.Count}");
        }

        var master = masters[0];
        var inSync = InSync(plan, observation, master);
        var chosen = Choose(inSync, target);
        if (chosen is null)
        {
            return Refuse(target is null
                ? "no replica is linked and in sync with the master; nothing to switch to"
                : $"{target} is not a replica in sync with the master; in sync: {(inSync.Count == 0 ? "none" : string.Join(", ", inSync.Select(n => n.Name)))}");
        }

        var sentinels = observation.Sentinels.Where(s => s.Reachable && s.Master?.Address == master.Address).Select(s => s.Address!).ToList();
        if (sentinels.Count == 0)
        {
            return Refuse("no Sentinel monitors the master; a switchover goes through Sentinel");
        }

        using var failover = knowledge.BeginOverlappingFailover();
        return await SwitchAsync(plan, master, chosen, inSync, sentinels, named: target is not null, secrets, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The replicas a switchover may go to: planned, linked to the master and caught up with it.</summary>
    public static List<RedisNodeObservation> InSync(ResourcePlan plan, ClusterObservation observation, RedisNodeObservation master) =>
        [.. observation.Nodes.Where(n => n != master && StatusBuilder.InSync(n, master) && plan.RedisNodes.Any(p => p.Name == n.Name))];

    /// <summary>
    /// The replica named, or else the best one: on the current configuration, not held back from Sentinel's choice (its
    /// TLS certificate does not name its address yet, see <see cref="CertificateRules"/>), the most data, the lowest name.
    /// </summary>
    public static RedisNodeObservation? Choose(IReadOnlyList<RedisNodeObservation> inSync, string? target) =>
        target is null
            ? inSync.OrderBy(n => n.Outdated is not null)
                .ThenBy(CertificateRules.IsHeld)
                .ThenByDescending(n => n.Offset).ThenBy(n => n.Name, StringComparer.Ordinal).FirstOrDefault()
            : inSync.FirstOrDefault(n => n.Name == target);

    private async Task<SwitchoverResult> SwitchAsync(ResourcePlan plan, RedisNodeObservation master, RedisNodeObservation chosen, List<RedisNodeObservation> replicas, List<string> sentinels, bool named, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        var from = master.Address!;
        var to = chosen.Address!;
        var leader = sentinels[0];
        var started = time.GetUtcNow();
        // Sentinel picks the replica with the lowest priority among equally caught-up ones, as its last INFO of each
        // replica says: when a target was named, wait until the Sentinel has seen it, before writes are paused.
        await Task.WhenAll(replicas.Select(r => admin.ExecuteAsync(r.Address!, NodeKind.Redis, "CONFIG", "SET", ReplicaPriority.Key, r == chosen ? ReplicaPriority.Favoured : ReplicaPriority.Normal))).ConfigureAwait(false);
        if (!await WaitAsync(async () => await SentinelSeesPriorityAsync(plan, leader, to).ConfigureAwait(false), TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false))
        {
            await BestEffort.RunAsync(() => admin.ExecuteAsync(to, NodeKind.Redis, "CONFIG", "SET", ReplicaPriority.Key, ReplicaPriority.Normal)).ConfigureAwait(false);
            return Refuse($"Sentinel did not see {chosen.Name} as the preferred replica within 15 s; nothing changed");
        }

        // The pause lifts itself if the control plane dies half-way.
        var pauseMs = plan.Spec.Sentinel.FailoverTimeout + 2000;
        await admin.ExecuteAsync(from, NodeKind.Redis, "CLIENT", "PAUSE", pauseMs, "WRITE").ConfigureAwait(false);
        var paused = Stopwatch.StartNew();
        // The current pause's own clock: a pause renewed while Sentinel still fails over starts again.
        var window = Stopwatch.StartNew();
        var unpaused = false;
        try
        {
            var masterInfo = InfoParser.Parse((await admin.ExecuteAsync(from, NodeKind.Redis, "INFO", "replication").ConfigureAwait(false)).Text ?? "");
            var goal = masterInfo.Number("master_repl_offset");
            if (!await WaitAsync(async () => InfoParser.Parse((await admin.ExecuteAsync(to, NodeKind.Redis, "INFO", "replication").ConfigureAwait(false)).Text ?? "").Number("slave_repl_offset") >= goal, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false))
            {
                return Refuse($"{chosen.Name} did not catch up with the master within 2 s; writes resumed on {master.Name}");
            }

            if (await fastFailover.AskToFailOverAsync(plan, leader).ConfigureAwait(false) != FailoverAnswer.Accepted)
            {
                return Refuse($"Sentinel {leader} did not accept SENTINEL FAILOVER; writes resumed on {master.Name}");
            }

            // The promoted replica reports itself master as soon as Sentinel promotes it; the Sentinels confirm up to
            // a second later. It already holds every write, so writes may resume once the old master is demoted.
            // Sentinel once carried out a failover it had accepted only 3.05 s later, after a 3 s wait had given up and
            // resumed writes on the old master, which then acknowledged writes for 50 ms before it was demoted. So the
            // wait lasts as long as the pause does, and while the leader still runs the failover the pause is renewed
            // and the wait goes on; writes resume on the old master only once Sentinel's failover ended without one.
            // A leader or a chosen replica that does not answer counts as one that may still promote: on a stalled
            // machine the chosen replica once became master a second after the switchover had given up and resumed
            // writes on the old master, which the healer then demoted with those writes.
            var promoted = await fastFailover.WaitForPromotionAsync(plan, leader, from, Left(pauseMs, window), askAgain: false, cancellationToken).ConfigureAwait(false);
            var stillPossible = promoted is null ? await PromotionStillPossibleAsync(plan, leader, to).ConfigureAwait(false) : null;
            for (var renewal = 0; promoted is null && stillPossible is not null && renewal < PauseRenewals; renewal++)
            {
                await admin.ExecuteAsync(from, NodeKind.Redis, "CLIENT", "PAUSE", pauseMs, "WRITE").ConfigureAwait(false);
                window.Restart();
                promoted = await fastFailover.WaitForPromotionAsync(plan, leader, from, Left(pauseMs, window), askAgain: false, cancellationToken).ConfigureAwait(false);
                stillPossible = promoted is null ? await PromotionStillPossibleAsync(plan, leader, to).ConfigureAwait(false) : null;
            }

            if (promoted is null)
            {
                return Refuse(stillPossible is null
                    ? $"Sentinel did not promote a replica within {paused.ElapsedMilliseconds} ms; writes resumed on {master.Name}"
                    : $"Sentinel did not promote a replica within {paused.ElapsedMilliseconds} ms, though {stillPossible}; writes resumed on {master.Name}, and the healer settles any second master");
            }

            // Clients that ask any Sentinel find the new master from now on, not up to a second later from the leader.
            var announced = await handOver.AnnounceAsync(plan, leader, sentinels, from, promoted, knowledge.NodeAddressesExcept(from), secrets, cancellationToken).ConfigureAwait(false);

            // Demote before resuming: an old master that accepts writes after the switch would lose them. It may take
            // as long as the pause has left: an old master that stalled for over a second on a loaded machine once
            // missed the usual 1 s and failed a switchover that Sentinel had already carried out.
            if (window.Elapsed > TimeSpan.FromMilliseconds(pauseMs / 2))
            {
                // A promotion seen late in the pause: renewed, so that the pause cannot lapse before the old master follows.
                try
                {
                    await admin.ExecuteAsync(from, NodeKind.Redis, "CLIENT", "PAUSE", pauseMs, "WRITE").ConfigureAwait(false);
                    window.Restart();
                }
                catch (RedisAdminException)
                {
                    // It does not answer: the demotion below will not either, and says so.
                }
            }

            // Clients of the master endpoint: those on the old master are cut off before it resumes (their paused writes
            // never ran) and reconnect to the new one.
            await journal.MoveEndpointAsync(promoted).ConfigureAwait(false);
            var demoteWithin = Left(pauseMs, window);
            try
            {
                await executor.ReplicaOfAsync(from, promoted, demoteWithin).ConfigureAwait(false);
            }
            catch (RedisAdminException e)
            {
                var message = $"{knowledge.NodeNameOf(promoted)} is master, but {master.Name} did not take REPLICAOF ({e.Message}); Sentinel demotes it when it answers";
                journal.Warning("SwitchoverIncomplete", message);
                throw new RedoubtException($"switchover incomplete: {message}", e);
            }

            await admin.ExecuteAsync(from, NodeKind.Redis, "CLIENT", "UNPAUSE").ConfigureAwait(false);
            unpaused = true;
            var pause = paused.Elapsed;
            var toName = knowledge.NodeNameOf(promoted);
            journal.Failover(started, time.GetUtcNow() - started, master.Name, toName, "planned switchover");
            await journal.MasterMovedAsync(toName).ConfigureAwait(false);
            if (!announced)
            {
                await handOver.AwaitLeaderAsync(plan, leader, promoted, cancellationToken).ConfigureAwait(false);
            }

            return new SwitchoverResult(true, master.Name, toName, Math.Round(pause.TotalMilliseconds, 1), $"{toName} is master; writes paused {pause.TotalMilliseconds:F0} ms");
        }
        finally
        {
            if (!unpaused)
            {
                await BestEffort.RunAsync(() => admin.ExecuteAsync(from, NodeKind.Redis, "CLIENT", "UNPAUSE")).ConfigureAwait(false);
            }

            await BestEffort.RunAsync(() => admin.ExecuteAsync(chosen.Address!, NodeKind.Redis, "CONFIG", "SET", ReplicaPriority.Key, ReplicaPriority.Normal)).ConfigureAwait(false);
        }
    }

    private async Task<string?> PromotionStillPossibleAsync(ResourcePlan plan, string leader, string chosen)
    {
        var view = fastFailover.ViewAsync(plan, leader);
        var role = fastFailover.RoleOfAsync(chosen);
        return SwitchoverCheck.PromotionStillPossible(await view.ConfigureAwait(false), await role.ConfigureAwait(false));
    }

    private async Task<bool> SentinelSeesPriorityAsync(ResourcePlan plan, string sentinel, string replica)
    {
        var known = await admin.ExecuteAsync(sentinel, NodeKind.Sentinel, "SENTINEL", "REPLICAS", plan.MasterName).ConfigureAwait(false);
        return known.Array.Select(Observer.Pairs).Any(f => Endpoints.Format(f.Text("ip") ?? "", (int)f.Number("port")) == replica && f.Text("slave-priority") == ReplicaPriority.Favoured);
    }

    private SwitchoverResult Refuse(string message)
    {
        journal.Warning("SwitchoverRefused", message);
        return new SwitchoverResult(false, null, null, 0, message);
    }

    private async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + limit;
        while (true)
        {
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (RedisAdminException)
            {
                // Not there yet; the deadline decides.
            }

            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
