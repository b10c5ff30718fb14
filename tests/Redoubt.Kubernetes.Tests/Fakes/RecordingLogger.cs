using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Redoubt.Kubernetes.Tests.Fakes;

/// <summary>Keeps the operator's log lines so a failing test can show what the operator did.</summary>
public sealed class RecordingLogger : ILoggerProvider, ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");

    public void Dispose()
    {
    }
}
