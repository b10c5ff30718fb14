using Microsoft.Extensions.Logging;

namespace Redoubt.Platforms.Kubernetes.Operator;

public sealed partial class ControllerTerm
{
    [LoggerMessage(Level = LogLevel.Information, Message = "caches synced; {Workers} workers reconciling")]
    private partial void LogStarted(int workers);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping: no new passes, {GraceSeconds} s for those in flight")]
    private partial void LogStopping(double graceSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "controller stopped")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: pass cancelled by shutdown; the next leader starts it again")]
    private partial void LogPassCancelled(string resource);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: pass failed; retrying in {DelayMs} ms")]
    private partial void LogPassFailed(string resource, double delayMs, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "handling a node event failed")]
    private partial void LogNodeEventFailed(Exception exception);
}
