using Microsoft.Extensions.Logging;

namespace Redoubt.Platforms.Local;

public sealed partial class LocalPlatform
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} {Node}: started at {Address} (pid {Pid})")]
    private static partial void LogStarted(ILogger logger, string resource, string node, string address, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} {Node}: adopted running process {Pid}")]
    private static partial void LogAdopted(ILogger logger, string resource, string node, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} {Node}: process {Pid} exited ({Detail})")]
    private static partial void LogExited(ILogger logger, string resource, string node, int pid, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} {Node}: fenced (killed process {Pid}, a deposed master that does not answer)")]
    private static partial void LogFenced(ILogger logger, string resource, string node, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} {Node}: removed (no longer in the spec)")]
    private static partial void LogRemoved(ILogger logger, string resource, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} {Node}: TLS certificate issued ({Reason})")]
    private static partial void LogCertificateIssued(ILogger logger, string resource, string node, string reason);
}
