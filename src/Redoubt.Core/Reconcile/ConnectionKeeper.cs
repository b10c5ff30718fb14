using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// PINGs every node and Sentinel every few seconds on the fast connections, so that the fast failover and the hang
/// watch find them open: opening one (connect and AUTH) on a loaded machine can take longer than their 250 ms requests
/// allow, and each timeout drops the connection, so a cold one may never open in time. An open connection stays open
/// by itself; the PING only reopens one a timeout dropped, or finds one whose node restarted. A connection that
/// answered another request within the period (the access watch's ACL reads, a pass) needs no PING: at 10 resources
/// these PINGs were one request in eight of an idle control plane.
/// </summary>
public sealed class ConnectionKeeper(ResourceKnowledge knowledge, RedisAdmin fastAdmin, TimeProvider time)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(3);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(Cadence.UntilNext(Period, time), time, cancellationToken).ConfigureAwait(false);
            if (knowledge.Observation is not { } observation)
            {
                continue;
            }

            // The master is the master watch's: a PING of ours on a hung master would hold its connection for a second.
            var master = knowledge.History.Master?.Address;
            var targets = observation.Nodes.Where(n => n.Reachable && n.Address != master).Select(n => (n.Address!, NodeKind.Redis))
                .Concat(observation.Sentinels.Where(s => s.Reachable).Select(s => (s.Address!, NodeKind.Sentinel)))
                .Where(t => !fastAdmin.AnsweredWithin(t.Item1, t.Item2, Period));
            await Task.WhenAll(targets.Select(t => PingAsync(t.Item1, t.Item2))).ConfigureAwait(false);
        }
    }

    private async Task PingAsync(string address, NodeKind kind)
    {
        try
        {
            await fastAdmin.ExecuteAsync(address, kind, TimeSpan.FromMilliseconds(500), "PING").ConfigureAwait(false);
        }
        catch (RedisAdminException)
        {
            // Dropped; the next round opens it again.
        }
    }
}
