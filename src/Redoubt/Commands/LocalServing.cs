using Microsoft.Extensions.Logging;
using Redoubt.Hosting;
using Redoubt.Terminal;
using Redoubt.Web;

namespace Redoubt.Commands;

/// <summary>What `serve` and `up` share: one control plane with its socket, kept until Ctrl-C or SIGTERM.</summary>
public sealed class LocalServing : IAsyncDisposable
{
    private LocalServing(TerminalLog logs, ILoggerFactory loggerFactory, LocalControlPlaneHost host)
    {
        Logs = logs;
        LoggerFactory = loggerFactory;
        Host = host;
    }

    public TerminalLog Logs { get; }

    public ILoggerFactory LoggerFactory { get; }

    public LocalControlPlaneHost Host { get; }

    /// <param name="logsOnTerminal">
    /// Whether the control plane's log lines go to stderr too (`serve`, `up --verbose`); they always go to the
    /// home's <see cref="ControlPlaneLogFile"/>.
    /// </param>
    public static async Task<LocalServing> StartAsync(
        Invocation invocation, WebAddress? web, string alreadyServingHint, bool logsOnTerminal, CancellationToken cancellationToken)
    {
        invocation.Home.EnsureExists();
        var logs = TerminalLog.ToFile(ControlPlaneLogFile.OpenIn(invocation.Home.Path), logsOnTerminal);
        var loggerFactory = ControlPlaneLogging.CreateFactory(logs);
        try
        {
            var host = await LocalControlPlaneHost.StartAsync(invocation.Home, web, logs, loggerFactory, alreadyServingHint, cancellationToken);
            return new LocalServing(logs, loggerFactory, host);
        }
        catch
        {
            loggerFactory.Dispose();
            logs.Dispose();
            throw;
        }
    }

    public static async Task WaitForTerminationAsync(CancellationToken termination)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, termination);
        }
        catch (OperationCanceledException) when (termination.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: the caller stops everything in order.
        }
    }

    /// <summary>Stops the API, then every Redis and Sentinel process; their data stays in the home.</summary>
    public async Task StopAsync()
    {
        // Not cancellable by the first signal (it is what got us here); a second Ctrl-C ends the process at once.
        await Host.StopAsync(stopNodes: true, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        LoggerFactory.Dispose();
        Logs.Dispose();
    }
}
