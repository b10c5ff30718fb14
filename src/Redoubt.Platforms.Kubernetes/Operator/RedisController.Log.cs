using Microsoft.Extensions.Logging;

namespace Redoubt.Platforms.Kubernetes.Operator;

public sealed partial class RedisController
{
    [LoggerMessage(Level = LogLevel.Information, Message = "finalizer added")]
    private partial void LogFinalizerAdded();

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted: removing its objects before letting it go")]
    private partial void LogCleaningUp();

    [LoggerMessage(Level = LogLevel.Information, Message = "cleanup done, finalizer removed")]
    private partial void LogFinalizerRemoved();

    [LoggerMessage(Level = LogLevel.Information, Message = "paused by annotation; nothing is changed")]
    private partial void LogPaused();

    [LoggerMessage(Level = LogLevel.Warning, Message = "invalid spec, not reconciled: {Errors}")]
    private partial void LogInvalid(string errors);
}
