using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Redoubt.Bench.Reporting;

/// <summary>The control plane's log goes to a file, so the figures stay readable and its warnings stay available as evidence.</summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();
    private int _warnings;

    public FileLoggerProvider(string path)
    {
        Path = path;
        _writer = new StreamWriter(path, append: false) { AutoFlush = true };
    }

    public string Path { get; }

    public int Warnings => Volatile.Read(ref _warnings);

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        if (level >= LogLevel.Warning)
        {
            Interlocked.Increment(ref _warnings);
        }

        lock (_lock)
        {
            _writer.WriteLine($"{DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {level,-11} {category}: {message}{(exception is null ? "" : " " + exception)}");
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                try
                {
                    provider.Write(logLevel, category, formatter(state, exception), exception);
                }
                catch (ObjectDisposedException)
                {
                    // A late line after the bench closed the log.
                }
            }
        }
    }
}
