using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Redoubt.Platforms.Local;

namespace Redoubt.Aspire.Hosting;

/// <summary>
/// Redoubt's local control planes of the AppHost, one per state folder, started at the first resource that needs one
/// and stopped with the AppHost (with their nodes, unless a resource asked to keep them running).
/// </summary>
internal sealed class RedoubtControlPlanes(ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (LocalControlPlane ControlPlane, bool StopNodes)> _started = new(StringComparer.Ordinal);

    public async Task<LocalControlPlane> ForAsync(global::Aspire.Hosting.RedoubtRedisOptions options, CancellationToken cancellationToken)
    {
        var home = Path.GetFullPath(options.Home!);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_started.TryGetValue(home, out var known))
            {
                _started[home] = (known.ControlPlane, known.StopNodes && options.StopNodesWithAppHost);
                return known.ControlPlane;
            }

            var local = new LocalOptions
            {
                Home = home,
                PortBase = options.PortBase,
                SentinelPortBase = options.PortBase + 20000,
                ZoneNetwork = options.ZoneNetwork,
                ExternalAddress = LocalOptions.DetectExternalAddress(),
            };
            var controlPlane = await LocalControlPlane.StartAsync(local, loggerFactory, cancellationToken).ConfigureAwait(false);
            _started[home] = (controlPlane, options.StopNodesWithAppHost);
            return controlPlane;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _gate.Dispose();

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (controlPlane, stopNodes) in _started.Values)
            {
                await controlPlane.StopAsync(stopNodes, cancellationToken).ConfigureAwait(false);
                await controlPlane.DisposeAsync().ConfigureAwait(false);
            }

            _started.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }
}
