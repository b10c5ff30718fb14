using Microsoft.Extensions.Logging;

namespace Redoubt.Core.Control;

public sealed partial class ControlLoop<TItem>
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "control loop started: {Workers} workers")]
    private partial void LogStarted(int workers);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping: no new passes, {GraceSeconds} s for those in flight")]
    private partial void LogStopping(double graceSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "control loop stopped")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: pass cancelled by shutdown; the next start takes it up again")]
    private partial void LogPassCancelled(string resource);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: pass failed; retrying in {DelayMs} ms")]
    private partial void LogPassFailed(string resource, double delayMs, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: the failed pass could not be reported on the resource")]
    private partial void LogFailureNotReported(string resource, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: node {Node} {Event}: {Detail}")]
    private partial void LogNodeEvent(string resource, string node, string @event, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: handling an event of node {Node} failed")]
    private partial void LogNodeEventFailed(string resource, string node, Exception exception);
}
