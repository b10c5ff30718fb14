using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Redoubt.Terminal;

/// <summary>One timestamped line per log entry, with the scopes (the resource a reconcile pass is about) in front.</summary>
public sealed class TerminalLoggerProvider : ILoggerProvider
{
    private readonly TerminalLog _log;
    private readonly bool _includeScopes;
    // Each provider keeps its own scopes: the HTTP server's per-request scopes must not end up on the control plane's
    // lines just because a request is what called it.
    private readonly LoggerExternalScopeProvider _scopes = new();

    public TerminalLoggerProvider(TerminalLog log, bool includeScopes)
    {
        _log = log;
        _includeScopes = includeScopes;
    }

    public ILogger CreateLogger(string categoryName) => new TerminalLogger(this, ShortCategory(categoryName));

    public void Dispose()
    {
    }

    private string Format<TState>(string category, LogLevel level, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = new StringBuilder();
        line.Append(DateTimeOffset.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append(' ');
        line.Append(Colour(level, LevelName(level))).Append(' ');
        line.Append(category).Append(": ");
        if (_includeScopes)
        {
            _scopes.ForEachScope((scope, builder) => builder.Append('[').Append(ScopeText(scope)).Append("] "), line);
        }
        line.Append(formatter(state, exception));
        if (exception is not null)
        {
            // The message is enough to act on; the stack is for developers who ask for it.
            line.Append(": ").Append(ErrorReport.DebugEnabled ? exception.ToString() : $"{exception.GetType().Name}: {exception.Message}");
        }
        return line.ToString();
    }

    private string Colour(LogLevel level, string text)
    {
        if (!_log.Colour)
        {
            return text;
        }
        return level switch
        {
            LogLevel.Warning => "\u001b[33m" + text + "\u001b[0m",
            >= LogLevel.Error => "\u001b[31m" + text + "\u001b[0m",
            _ => text,
        };
    }

    /// <summary>
    /// A structured scope such as <c>{ resource = default/example }</c> shows its values; a message-template scope
    /// (which carries "{OriginalFormat}") formats itself.
    /// </summary>
    private static string? ScopeText(object? scope) =>
        scope is IEnumerable<KeyValuePair<string, object?>> values && !values.Any(pair => pair.Key == "{OriginalFormat}")
            ? string.Join(' ', values.Select(pair => pair.Value))
            : scope?.ToString();

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private static string ShortCategory(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot < 0 ? category : category[(dot + 1)..];
    }

    private sealed class TerminalLogger(TerminalLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider._log.Write(provider.Format(category, logLevel, state, exception, formatter));
            }
        }
    }
}
