using Microsoft.Extensions.Logging;
using Redoubt.Model;

namespace Redoubt.Core.Reconcile;

/// <summary>The resource's events (status and log alike) and its failover records.</summary>
public sealed class Journal(EventLog events, ResourceKnowledge knowledge, ILogger logger)
{
    public EventLog Events => events;

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

    /// <summary>The event of a failover already in the history.</summary>
    public void Announce(FailoverRecord record) =>
        Warning("FailedOver", $"master moved from {record.From} to {record.To} in {record.DurationMs:F0} ms: {record.Cause}");
}
