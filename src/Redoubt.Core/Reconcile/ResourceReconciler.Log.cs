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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sentinel {Sentinel} did not accept the failover: {Error}")]
    private static partial void LogSentinelRefused(ILogger logger, string sentinel, string error);
}
