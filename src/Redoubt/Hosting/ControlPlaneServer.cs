using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Redoubt.Core;
using Redoubt.Core.ControlPlane;
using Redoubt.Terminal;

namespace Redoubt.Hosting;

/// <summary>Kestrel on the home's Unix socket, serving <see cref="ControlPlaneApi"/>.</summary>
public sealed class ControlPlaneServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RedoubtHome _home;

    private ControlPlaneServer(WebApplication app, RedoubtHome home)
    {
        _app = app;
        _home = home;
    }

    /// <summary>Call only while holding the home's control-plane lock: a socket file found here is then stale.</summary>
    public static async Task<ControlPlaneServer> StartAsync(
        RedoubtHome home, IControlPlane controlPlane, TerminalLog logs, CancellationToken cancellationToken)
    {
        if (Directory.Exists(home.SocketPath))
        {
            throw new RedoubtException($"{home.SocketPath} is a folder, where the control plane's socket belongs: remove it and start again");
        }
        File.Delete(home.SocketPath);

        // The empty builder reads no appsettings.json or ASPNETCORE_URLS, so nothing can add a TCP listener.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = home.Path });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(home.SocketPath));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, ExternallyControlledLifetime>();
        builder.Logging.AddTerminal(logs, includeScopes: false);

        var app = builder.Build();
        app.UseRouting();
        app.MapControlPlane(controlPlane);
        await app.StartAsync(cancellationToken);

        // The home is already 0700; this keeps the socket private even if the home's mode was loosened later.
        File.SetUnixFileMode(home.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new ControlPlaneServer(app, home);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _app.StopAsync(cancellationToken);
        File.Delete(_home.SocketPath);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
