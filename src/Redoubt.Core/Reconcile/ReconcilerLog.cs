using Microsoft.Extensions.Logging;

namespace Redoubt.Core.Reconcile;

internal static partial class ReconcilerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Heal: {Action} ({Reason})")]
    public static partial void Action(ILogger logger, string action, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Reason}: {Message}")]
    public static partial void Event(ILogger logger, string reason, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}: {Message}")]
    public static partial void WarningEvent(ILogger logger, string reason, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Master {Master} does not answer ({Why}); watching the Sentinels to fence it once they agree it is down")]
    public static partial void HangWatch(ILogger logger, string master, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Loop} failed; it is started again")]
    public static partial void LoopFailed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sentinel {Sentinel} did not accept the failover: {Error}")]
    public static partial void SentinelRefused(ILogger logger, string sentinel, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "the platform did not move its routing to {Master} yet ({Error}); the next pass does")]
    public static partial void MasterMovedNotApplied(ILogger logger, string master, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sentinel hand-over: {Step}")]
    public static partial void HandOver(ILogger logger, string step);
}
