using Microsoft.Extensions.Logging;

namespace Redoubt.Platforms.Kubernetes.Platform;

public sealed partial class KubernetesPlatform
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Resource}: applied {Count} objects")]
    private partial void LogEnsured(string resource, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: restarting pod {Pod} (deleted; its controller recreates it)")]
    private partial void LogRestarting(string resource, string pod);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: fencing pod {Pod} (deleted at once, no grace period)")]
    private partial void LogFencing(string resource, string pod);
}
