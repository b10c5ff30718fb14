using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>Routes control-plane logs into the test's output, so a failing test shows what the healer did.</summary>
internal sealed class TestLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    private volatile bool _disposed;

    public ILogger CreateLogger(string categoryName) => new TestLogger(this, categoryName);

    public void Dispose() => _disposed = true;

    private sealed class TestLogger(TestLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (provider._disposed)
            {
                return;
            }

            try
            {
                provider.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished; late log lines have nowhere to go.
            }
        }
    }

    private void WriteLine(string line) => output.WriteLine(line);
}
