using Microsoft.Extensions.Logging;

namespace Redoubt.Terminal;

/// <summary>The logging of a control plane on the terminal: its own lines at Information, ASP.NET's at Warning.</summary>
public static class ControlPlaneLogging
{
    public static ILoggingBuilder AddTerminal(this ILoggingBuilder logging, TerminalLog log, bool includeScopes)
    {
        logging.ClearProviders();
        logging.AddProvider(new TerminalLoggerProvider(log, includeScopes));
        logging.SetMinimumLevel(ErrorReport.DebugEnabled ? LogLevel.Debug : LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System", LogLevel.Warning);
        return logging;
    }

    public static ILoggerFactory CreateFactory(TerminalLog log) =>
        LoggerFactory.Create(logging => logging.AddTerminal(log, includeScopes: true));
}
