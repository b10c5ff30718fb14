using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Redoubt.Core;
using Redoubt.Hosting;

namespace Redoubt.Web;

/// <summary>
/// Kestrel on a TCP address (loopback by default), beside the API socket: Prometheus metrics and the live dashboard.
/// What it serves is added by <c>map</c>; <see cref="Token"/> guards every route but the ones that say otherwise.
/// </summary>
public sealed class WebListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebListener(WebApplication app, Uri address, WebToken token)
    {
        _app = app;
        Address = address;
        Token = token;
    }

    /// <summary>Where it listens, e.g. http://127.0.0.1:9480/.</summary>
    public Uri Address { get; }

    public WebToken Token { get; }

    /// <param name="configureLogging">Where Kestrel's own log lines go.</param>
    /// <param name="map">Adds the routes (metrics, dashboard) to the application.</param>
    public static async Task<WebListener> StartAsync(
        WebAddress address, WebToken token, Action<ILoggingBuilder> configureLogging, Action<WebApplication, WebToken> map, CancellationToken cancellationToken)
    {
        try
        {
            return await StartOnAsync(address.EndPoint, token, configureLogging, map, cancellationToken);
        }
        catch (IOException exception) when (!address.Explicit && IsAddressInUse(exception))
        {
            // The default port is someone else's (another home's control plane): any free port will do, and it is printed.
            return await StartOnAsync(new IPEndPoint(address.EndPoint.Address, 0), token, configureLogging, map, cancellationToken);
        }
        catch (IOException exception) when (IsAddressInUse(exception))
        {
            throw new RedoubtException(
                $"cannot listen on {address.EndPoint} for metrics and the dashboard: the address is in use; choose another with --web or ${WebAddress.EnvironmentVariable}, or turn it off with --web off", exception);
        }
    }

    private static async Task<WebListener> StartOnAsync(
        IPEndPoint endPoint, WebToken token, Action<ILoggingBuilder> configureLogging, Action<WebApplication, WebToken> map, CancellationToken cancellationToken)
    {
        // The empty builder reads no appsettings.json or ASPNETCORE_URLS: this address is the only one.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(endPoint));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, ExternallyControlledLifetime>();
        configureLogging(builder.Logging);

        var app = builder.Build();
        app.UseRouting();
        map(app, token);
        app.MapFallback((HttpContext context) => Results.NotFound());
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return new WebListener(app, uri, token);
    }

    private static bool IsAddressInUse(Exception exception) =>
        exception.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
        || exception is IOException && exception.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
