using Redoubt.Core.Healing;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// PINGs the master four times a second on a connection of its own. Two PINGs in a row that time out (a hang or a
/// partition; an exited process is refused at once and takes the fast path) start the hang watch at once, not at
/// the next reconcile pass: with Sentinel's fast timers the failover can be over before that pass, and a hung
/// master must be fenced before it can wake up as a second master. A PING that timed out is followed by the next at
/// once, so a hang is known at most 850 ms after it starts (250 + 2 × 300), before the Sentinels' down-after.
/// </summary>
public sealed class MasterWatch(ResourceKnowledge knowledge, RedisAdmin fastAdmin, TimeProvider time)
{
    /// <summary>
    /// Between PINGs that were answered. Ten a second made this watch half of an idle control plane's CPU (10
    /// resources: 5.3-7.0% of a core with it, 2.7-3.8% without); the hang watch it starts waits for the Sentinels'
    /// judgement anyway, which comes no sooner than down-after (1 s by default).
    /// </summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan PingTimeout = TimeSpan.FromMilliseconds(300);

    /// <summary>Runs until cancelled; <paramref name="hangWatchRunning"/> pauses it, <paramref name="startHangWatch"/> hands a hang over.</summary>
    public async Task RunAsync(Func<bool> hangWatchRunning, Action<string> startHangWatch, CancellationToken cancellationToken)
    {
        var silent = 0;
        while (true)
        {
            if (silent == 0)
            {
                await Task.Delay(Cadence.UntilNext(Period, time), time, cancellationToken).ConfigureAwait(false);
            }

            var master = knowledge.History.Master;
            if (master?.Address is not { } address || hangWatchRunning() || knowledge.History.IsReplaced(master))
            {
                silent = 0;
                continue;
            }

            var sent = time.GetUtcNow();
            var outcome = await PingAsync(address).ConfigureAwait(false);
            if (outcome == PingOutcome.Answered)
            {
                knowledge.Update(h => h.Answered());
            }
            else if (outcome == PingOutcome.TimedOut && silent == 0)
            {
                // The master it watched is still the master: the silence is where its failover starts.
                knowledge.Update(h => h.Silent(address, sent));
            }

            (silent, var hang) = MasterWatchRules.AfterPing(silent, outcome);
            if (hang)
            {
                startHangWatch("two PINGs in a row timed out");
            }
        }
    }

    private async Task<PingOutcome> PingAsync(string address)
    {
        try
        {
            await fastAdmin.ExecuteAsync(address, NodeKind.Redis, PingTimeout, "PING").ConfigureAwait(false);
            return PingOutcome.Answered;
        }
        catch (NodeUnreachableException e) when (e.InnerException is OperationCanceledException)
        {
            return PingOutcome.TimedOut;
        }
        catch (RedisAdminException)
        {
            return PingOutcome.Refused;
        }
    }
}
