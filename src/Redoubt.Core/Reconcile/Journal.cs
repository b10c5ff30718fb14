using Microsoft.Extensions.Logging;
using Redoubt.Core.Observation;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;
using Redoubt.Core.Telemetry;
using Redoubt.Model;

namespace Redoubt.Core.Reconcile;

/// <summary>The resource's events (status and log alike) and its failover records.</summary>
public sealed class Journal(EventLog events, ResourceKnowledge knowledge, IRedisPlatform platform, RedisAdmin admin, ILogger logger, IResourceTelemetry telemetry)
{
    /// <summary>How long the platform may take to move its routing to a new master; the next pass does it otherwise.</summary>
    private static readonly TimeSpan MasterMovedTimeout = TimeSpan.FromSeconds(2);

    public EventLog Events => events;

    /// <summary>
    /// Asks for a pass. A failover asks for one the moment it is recorded, so the status (and the dashboard and
    /// `get -w` that follow it) names the new master at the promotion, not only after the Sentinels' hand-over, which
    /// the fast path awaits before the pass its node event asks for. A pass that runs meanwhile acts on nothing while a
    /// Sentinel still reports the failover in progress.
    /// </summary>
    public Action PassWanted { get; set; } = () => { };

    public void Normal(string reason, string message)
    {
        events.Add("Normal", reason, message);
        ReconcilerLog.Event(logger, reason, message);
    }

    public void Warning(string reason, string message)
    {
        events.Add("Warning", reason, message);
        ReconcilerLog.WarningEvent(logger, reason, message);
    }

    /// <summary>Records a failover in the history and as an event.</summary>
    public void Failover(DateTimeOffset since, TimeSpan took, string from, string to, string cause)
    {
        var record = MasterHistory.Failover(since, took, from, to, cause);
        knowledge.Update(h => h.WithFailover(record));
        Announce(record);
    }

    /// <summary>
    /// Records a failover Sentinel drove, seen the moment the new master answers as one, unless a pass or another watch
    /// recorded the same one already (to the same node, within <see cref="MasterHistory.SameFailoverWindow"/>, as a pass
    /// judges it).
    /// </summary>
    public void SentinelFailedOver(DateTimeOffset since, DateTimeOffset now, string from, string to, string cause)
    {
        var record = MasterHistory.Failover(since, now - since, from, to, cause);
        if (knowledge.Update(h => h.Recorded(to, since - MasterHistory.SameFailoverWindow) ? (h, false) : (h.WithFailover(record), true)))
        {
            Announce(record);
        }
    }

    /// <summary>
    /// Runs <paramref name="handOver"/> (the Sentinels following a promotion) while the platform's routing moves to
    /// <paramref name="to"/>, and returns once both are done: routing moves beside the hand-over, not after it.
    /// </summary>
    public async Task MoveMasterDuringAsync(string to, Func<Task> handOver)
    {
        var routing = MasterMovedAsync(to);
        try
        {
            await handOver().ConfigureAwait(false);
        }
        finally
        {
            await routing.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The master endpoint follows a promotion at once, not at the next pass: every other node lets go of it (a dead
    /// one has already), then <paramref name="toAddress"/> takes it. Never throws; a node that did not answer is left
    /// to the next pass, whose rules (<see cref="Healing.EndpointRules"/>) say the same.
    /// </summary>
    public async Task MoveEndpointAsync(string toAddress)
    {
        if (knowledge.Plan is not { } plan || platform.MasterEndpoint(plan) is not { } endpoint)
        {
            return;
        }

        await Task.WhenAll(knowledge.NodeAddressesExcept(toAddress).Select(other =>
            BestEffort.RunAsync(() => EndpointBinding.ReleaseAsync(admin, other, endpoint, FastProbes.Timeout)))).ConfigureAwait(false);
        try
        {
            await EndpointBinding.HoldAsync(admin, toAddress, endpoint, Healing.HealExecutor.EndpointTimeout).ConfigureAwait(false);
        }
        catch (RedisAdminException e)
        {
            // A deposed master that hangs still listens there until it is fenced; the next pass takes it then.
            ReconcilerLog.MasterMovedNotApplied(logger, knowledge.NodeNameOf(toAddress), $"master endpoint {endpoint}: {e.Message}");
        }
    }

    /// <summary>Tells the platform that <paramref name="to"/> is master now (its routing follows); never throws.</summary>
    public async Task MasterMovedAsync(string to)
    {
        if (knowledge.Plan is not { } plan)
        {
            return;
        }

        if (knowledge.Observation?.Nodes.FirstOrDefault(n => n.Name == to)?.Address is { } address)
        {
            await MoveEndpointAsync(address).ConfigureAwait(false);
        }

        using var bounded = new CancellationTokenSource(MasterMovedTimeout);
        try
        {
            await platform.MasterMovedAsync(plan, to, bounded.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The next pass moves the platform's routing from what it observes.
            ReconcilerLog.MasterMovedNotApplied(logger, to, e.Message);
        }
    }

    /// <summary>The event (and the metrics) of a failover already in the history: every recorded failover passes here once.</summary>
    public void Announce(FailoverRecord record)
    {
        Warning("FailedOver", $"master moved from {record.From} to {record.To} in {record.DurationMs:F0} ms: {record.Cause}");
        telemetry.FailedOver(record);
        PassWanted();
    }
}
