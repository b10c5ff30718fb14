using Microsoft.Extensions.Logging;
using Redoubt.Core.Access;
using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// The master's process runs but does not answer: Sentinel fails over after down-after. The moment the Sentinels agree
/// it is down, or another node is master, the hung one is fenced, before it can wake up and acknowledge the writes
/// queued in its sockets. The moment a replica is promoted, the Sentinels that did not lead are handed over to it,
/// instead of learning it from the leader up to a second later. A reconcile pass is too slow for either (it spends a
/// timeout on the hung node), hence a watch of its own.
/// </summary>
public sealed class HangWatch(ResourceKnowledge knowledge, FastProbes probes, Fencing fencing, FastFailover fastFailover, SentinelHandOver handOver, Journal journal, ILogger logger, TimeProvider time)
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    public async Task RunAsync(ResourcePlan plan, RedisNodeObservation hung, string why, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        ReconcilerLog.HangWatch(logger, $"{hung.Name} ({hung.Address})", why);
        var address = hung.Address!;
        var since = knowledge.History.FailoverStart(time.GetUtcNow());
        var deadline = time.GetUtcNow() + TimeSpan.FromMilliseconds(plan.Spec.Sentinel.DownAfterMilliseconds + 2L * plan.Spec.Sentinel.FailoverTimeout + 5000);
        var sentinels = knowledge.SentinelAddresses();
        var replicas = knowledge.NodeAddressesExcept(address);
        var fenced = false;
        var forced = false;
        while (time.GetUtcNow() < deadline)
        {
            var viewing = Task.WhenAll(sentinels.Select(s => probes.ViewAsync(s, plan.MasterName)));
            var promoted = await probes.FirstMasterAsync(replicas).ConfigureAwait(false);
            var views = await viewing.ConfigureAwait(false);
            if (!fenced && !forced && promoted is null && MasterWatchRules.WhyForce(address, views, plan.Spec.Sentinel.Quorum) is { } judged)
            {
                // Once: should the Sentinels start their own election meanwhile, the fast failover leaves it to them.
                forced = true;
                if (await probes.RoleOfAsync(address).ConfigureAwait(false) is null)
                {
                    fenced = true;
                    await LetReplicasReadAsync(replicas, cancellationToken).ConfigureAwait(false);
                    await fencing.FenceAsync(plan, new FenceNode(hung.Name, address, hung.Pid, $"it runs but does not answer and {judged}", hung.Since), cancellationToken).ConfigureAwait(false);
                    var cause = $"master {hung.Name} does not answer (hung or cut off) and {judged}";
                    if (await fastFailover.RunAsync(plan, hung.Name, address, since, cause, secrets, cancellationToken).ConfigureAwait(false))
                    {
                        knowledge.Update(h => h.MasterReplaced(hung));
                        return;
                    }

                    continue;
                }
            }

            // The hung node is asked only once there is a reason to fence: each question costs it a timeout.
            if (!fenced && (promoted is not null || views.Any(v => v?.Master == address && v.ObjectivelyDown)))
            {
                var answers = await probes.RoleOfAsync(address).ConfigureAwait(false) is not null;
                if (MasterWatchRules.WhyFence(address, answers, views, promoted) is { } reason)
                {
                    fenced = true;
                    if (promoted is null)
                    {
                        await LetReplicasReadAsync(replicas, cancellationToken).ConfigureAwait(false);
                    }

                    await fencing.FenceAsync(plan, new FenceNode(hung.Name, address, hung.Pid, $"it runs but does not answer (hung or cut off) and {reason}", hung.Since), cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            if (promoted is not null)
            {
                await journal.MoveMasterDuringAsync(Promoted(hung, promoted, since), () => HandOverAsync(plan, sentinels, views, address, promoted, secrets, cancellationToken)).ConfigureAwait(false);
                return;
            }

            await Task.Delay(Period, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A hung process's kernel still sends what the process had written to its replicas' sockets; fencing it (a kill,
    /// a deleted pod) throws away whatever is still queued. Before the fence, the replicas read until their offsets
    /// stop moving, so that writes the hung master acknowledged reach a replica that can be promoted.
    /// </summary>
    private Task LetReplicasReadAsync(IReadOnlyList<string> replicas, CancellationToken cancellationToken) =>
        probes.SettledOffsetsAsync(replicas, FastFailover.SettleLimit, time, cancellationToken);

    /// <summary>Recorded here, when the new master answers as one; a pass would notice later, slowed by the silent node.</summary>
    private string Promoted(RedisNodeObservation hung, string promoted, DateTimeOffset since)
    {
        var name = knowledge.NodeNameOf(promoted);
        knowledge.Update(h => h.MasterReplaced(hung));
        if (knowledge.FailoverInFlight)
        {
            // The fast path (or a switchover) asked for this promotion and records it itself, with its own cause.
            return name;
        }

        journal.SentinelFailedOver(since, time.GetUtcNow(), hung.Name, name, "Sentinel failed over: the master did not answer (hung or cut off)");
        return name;
    }

    /// <summary>
    /// The Sentinel leading the failover confirms the promotion at its next INFO to the replica, up to a second from
    /// now; the others would learn it from its hello after that. Redoubt tells them all now (see <see cref="SentinelHandOver"/>).
    /// </summary>
    private async Task HandOverAsync(ResourcePlan plan, List<string> sentinels, SentinelView?[] views, string fromAddress, string promoted, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        var leaders = sentinels.Where((_, i) => views[i]?.LeadsFailover == true).ToList();
        if (leaders.Count != 1)
        {
            // No failover Redoubt can see, or two: Sentinel's own gossip settles it, by epoch.
            return;
        }

        using var failover = knowledge.BeginOverlappingFailover();
        await handOver.CompleteAsync(plan, leaders[0], sentinels, fromAddress, promoted, knowledge.NodeAddressesExcept(fromAddress), secrets, cancellationToken).ConfigureAwait(false);
    }
}
