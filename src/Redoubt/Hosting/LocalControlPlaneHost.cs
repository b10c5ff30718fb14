using Microsoft.Extensions.Logging;
using Redoubt.Core;
using Redoubt.Core.ControlPlane;
using Redoubt.Metrics;
using Redoubt.Platforms.Local;
using Redoubt.Terminal;
using Redoubt.Web;

namespace Redoubt.Hosting;

/// <summary>
/// The local control plane and its API socket, started and stopped together. `serve` and `up` both run exactly this.
/// </summary>
public sealed class LocalControlPlaneHost : IAsyncDisposable
{
    private readonly LocalControlPlane _controlPlane;
    private readonly ControlPlaneServer _server;
    private bool _stopped;

    private LocalControlPlaneHost(RedoubtHome home, LocalControlPlane controlPlane, ControlPlaneServer server, WebListener? web)
    {
        Home = home;
        _controlPlane = controlPlane;
        _server = server;
        Web = web;
    }

    /// <summary>Metrics and the dashboard; null when turned off (<c>--web off</c>).</summary>
    public WebListener? Web { get; }

    public RedoubtHome Home { get; }

    public IControlPlane ControlPlane => _controlPlane;

    /// <param name="alreadyServingHint">What to suggest when another control plane already serves the home.</param>
    /// <param name="web">Where metrics and the dashboard listen; null: nowhere.</param>
    public static async Task<LocalControlPlaneHost> StartAsync(
        RedoubtHome home, WebAddress? web, TerminalLog logs, ILoggerFactory loggerFactory, string alreadyServingHint, CancellationToken cancellationToken)
    {
        home.EnsureExists();
        if (await ControlPlaneProbe.IsServingAsync(home, cancellationToken))
        {
            throw new RedoubtException($"a control plane already serves {home}: {alreadyServingHint}");
        }

        WebEndpoints.Remove(home.Path);
        // Metrics are kept only where they are served: with the listener off, the passes report nowhere.
        var telemetry = web is null ? null : new PrometheusTelemetry();
        var controlPlane = await LocalControlPlane.StartAsync(LocalOptions.FromEnvironment(home.Path), loggerFactory, cancellationToken, telemetry);
        telemetry?.WatchBackups(controlPlane.ListAsync);
        ControlPlaneServer? server = null;
        try
        {
            server = await ControlPlaneServer.StartAsync(home, controlPlane, logs, cancellationToken);
            var logger = loggerFactory.CreateLogger<LocalControlPlaneHost>();
            logger.LogInformation("Serving the control plane API on {Socket}", home.SocketPath);
            WebListener? listener = null;
            if (web is not null)
            {
                listener = await WebListener.StartAsync(
                    web, WebToken.LoadOrCreate(home.Path), logging => logging.AddTerminal(logs, includeScopes: false),
                    (app, token) =>
                    {
                        MetricsRoute.Map(app, telemetry!.Registry);
                        WebRoutes.MapLocal(app, token, controlPlane);
                    }, cancellationToken);
                logger.LogInformation("Serving metrics and the dashboard on {Address}", listener.Address);
                WebEndpoints.Of(listener, home.Path).Write(home.Path);
            }
            return new LocalControlPlaneHost(home, controlPlane, server, listener);
        }
        catch
        {
            if (server is not null)
            {
                await server.StopAsync(CancellationToken.None);
                await server.DisposeAsync();
            }

            // The nodes keep running, as after a control-plane crash; the next control plane adopts them.
            await controlPlane.StopAsync(stopNodes: false, CancellationToken.None);
            await controlPlane.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops answering the API first, so no request lands on a control plane that is shutting its nodes down.</summary>
    public async Task StopAsync(bool stopNodes, CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        if (Web is not null)
        {
            WebEndpoints.Remove(Home.Path);
            await Web.StopAsync(cancellationToken);
        }
        await _server.StopAsync(cancellationToken);
        await _controlPlane.StopAsync(stopNodes, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Web is not null)
        {
            await Web.DisposeAsync();
        }
        await _server.DisposeAsync();
        await _controlPlane.DisposeAsync();
    }
}
