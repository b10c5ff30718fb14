using Microsoft.Extensions.Hosting;

namespace Redoubt.Hosting;

/// <summary>
/// Replaces the console lifetime: Ctrl-C and SIGTERM belong to the command, which stops the HTTP server and then
/// every node in order; the host must not react to them on its own.
/// </summary>
internal sealed class ExternallyControlledLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
