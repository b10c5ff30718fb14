using Microsoft.Extensions.Logging;
using Redoubt.Core;
using Redoubt.Core.ControlPlane;
using Redoubt.Platforms.Local;
using Redoubt.Terminal;

namespace Redoubt.Hosting;

/// <summary>
/// The local control plane and its API socket, started and stopped together. `serve` and `up` both run exactly this.
/// </summary>
public sealed class LocalControlPlaneHost : IAsyncDisposable
{
    private readonly LocalControlPlane _controlPlane;
    private readonly ControlPlaneServer _server;
    private bool _stopped;

    private LocalControlPlaneHost(RedoubtHome home, LocalControlPlane controlPlane, ControlPlaneServer server)
    {
        Home = home;
        _controlPlane = controlPlane;
        _server = server;
    }

    public RedoubtHome Home { get; }

    public IControlPlane ControlPlane => _controlPlane;

    /// <param name="alreadyServingHint">What to suggest when another control plane already serves the home.</param>
    public static async Task<LocalControlPlaneHost> StartAsync(
        RedoubtHome home, TerminalLog logs, ILoggerFactory loggerFactory, string alreadyServingHint, CancellationToken cancellationToken)
    {
        home.EnsureExists();
        if (await ControlPlaneProbe.IsServingAsync(home, cancellationToken))
        {
            throw new RedoubtException($"a control plane already serves {home}: {alreadyServingHint}");
        }

        var controlPlane = await LocalControlPlane.StartAsync(LocalOptions.FromEnvironment(home.Path), loggerFactory, cancellationToken);
        try
        {
            var server = await ControlPlaneServer.StartAsync(home, controlPlane, logs, cancellationToken);
            loggerFactory.CreateLogger<LocalControlPlaneHost>().LogInformation("Serving the control plane API on {Socket}", home.SocketPath);
            return new LocalControlPlaneHost(home, controlPlane, server);
        }
        catch
        {
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
        await _server.StopAsync(cancellationToken);
        await _controlPlane.StopAsync(stopNodes, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _controlPlane.DisposeAsync();
    }
}
