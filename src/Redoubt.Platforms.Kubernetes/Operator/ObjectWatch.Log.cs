using Microsoft.Extensions.Logging;

namespace Redoubt.Platforms.Kubernetes.Operator;

public sealed partial class ObjectWatch<T>
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "listed {Count} {Kind} at resourceVersion {ResourceVersion}")]
    private partial void LogListed(string kind, int count, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "watch of {Kind} expired at resourceVersion {ResourceVersion}; listing again")]
    private partial void LogWatchExpired(string kind, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watch of {Kind} failed; listing again in {DelayMs} ms")]
    private partial void LogWatchFailed(string kind, double delayMs, Exception exception);
}
