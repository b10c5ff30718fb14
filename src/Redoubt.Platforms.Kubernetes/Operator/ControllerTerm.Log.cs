using Microsoft.Extensions.Logging;

namespace Redoubt.Platforms.Kubernetes.Operator;

public sealed partial class ControllerTerm
{
    [LoggerMessage(Level = LogLevel.Information, Message = "caches synced; {Workers} workers reconciling")]
    private partial void LogStarted(int workers);

    [LoggerMessage(Level = LogLevel.Information, Message = "API server {Version}: PodDisruptionBudgets in policy/{PdbVersion}, StatefulSet claim retention policy {RetentionPolicy}")]
    private partial void LogServer(string version, string pdbVersion, bool retentionPolicy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "discovery of the API server failed; asking again in {DelayMs} ms")]
    private partial void LogDiscoveryFailed(double delayMs, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "controller stopped")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not stop the master Service selecting a master that went away")]
    private partial void LogUnlabelFailed(Exception exception);
}
