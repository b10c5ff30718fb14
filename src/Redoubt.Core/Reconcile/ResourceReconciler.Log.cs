using Microsoft.Extensions.Logging;

namespace Redoubt.Core.Reconcile;

public sealed partial class ResourceReconciler
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Heal: {Action} ({Reason})")]
    private static partial void LogAction(ILogger logger, string action, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Reason}: {Message}")]
    private static partial void LogEvent(ILogger logger, string reason, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}: {Message}")]
    private static partial void LogWarningEvent(ILogger logger, string reason, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Master {Master} does not answer ({Why}); watching the Sentinels to fence it once they agree it is down")]
    private static partial void LogHangWatch(ILogger logger, string master, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Loop} failed and goes on")]
    private static partial void LogLoopFailed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sentinel {Sentinel} did not accept the failover: {Error}")]
    private static partial void LogSentinelRefused(ILogger logger, string sentinel, string error);
}
