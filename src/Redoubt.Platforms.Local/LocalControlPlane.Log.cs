using Microsoft.Extensions.Logging;

namespace Redoubt.Platforms.Local;

public sealed partial class LocalControlPlane
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: resumed from the home folder")]
    private static partial void LogResumed(ILogger logger, string resource);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: {Change} (generation {Generation})")]
    private static partial void LogApplied(ILogger logger, string resource, string change, long generation);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: rolling restart requested ({Mark})")]
    private static partial void LogRestartRequested(ILogger logger, string resource, string mark);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: new application password requested ({Mark}), the old one accepted for {Grace} more")]
    private static partial void LogRotationRequested(ILogger logger, string resource, string mark, string grace);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: deleted (data kept: {KeepData})")]
    private static partial void LogDeleted(ILogger logger, string resource, bool keepData);
}
