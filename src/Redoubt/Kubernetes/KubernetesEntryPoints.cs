using Microsoft.Extensions.Logging;
using Redoubt.Metrics;
using Redoubt.Platforms.Kubernetes;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Operator;
using Redoubt.Terminal;
using Redoubt.Web;

namespace Redoubt.Kubernetes;

/// <summary>
/// Where `render` and `operator` hand over to the Kubernetes platform. The command line reads the file and owns
/// the options; the platform does the work.
/// </summary>
public static class KubernetesEntryPoints
{
    /// <summary>The images named on the command line: <c>--redis-image VERSION=IMAGE</c> and <c>--exporter-image</c>.</summary>
    public sealed record Images(IReadOnlyList<string> Redis, string? Exporter)
    {
        public static readonly Images Default = new([], null);
    }

    /// <summary>Prints the Kubernetes manifests for the resources in <paramref name="yaml"/> to stdout; returns the exit code.</summary>
    public static async Task<int> RenderAsync(string yaml, string fileName, Images images, CancellationToken cancellationToken)
    {
        var (manifests, error) = new ManifestOptions().WithImages(images.Redis, images.Exporter);
        if (manifests is null)
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }

        return await KubernetesCommands.RenderTextAsync(yaml, fileName, manifests, Console.Out, Console.Error, cancellationToken);
    }

    /// <summary>Runs the operator until <paramref name="cancellationToken"/> fires (Ctrl-C, SIGTERM); returns the exit code.</summary>
    /// <param name="web">Where /metrics listens; null: nowhere.</param>
    public static async Task<int> RunOperatorAsync(string? kubeconfig, WebAddress? web, Images images, CancellationToken cancellationToken)
    {
        var (manifests, error) = new ManifestOptions().WithImages(images.Redis, images.Exporter);
        if (manifests is null)
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }

        var logs = TerminalLog.StandardError();
        using var loggers = ControlPlaneLogging.CreateFactory(logs);
        if (web is null)
        {
            return await KubernetesCommands.RunOperatorAsync(new OperatorOptions { Kubeconfig = kubeconfig, Manifests = manifests }, loggers, cancellationToken);
        }

        var telemetry = new PrometheusTelemetry();
        // The operator serves metrics only: no route asks for the token, which is made for this process and never shown.
        await using var listener = await WebListener.StartAsync(
            web, WebToken.Ephemeral(), logging => logging.AddTerminal(logs, includeScopes: false),
            (app, _) => MetricsRoute.Map(app, telemetry.Registry), cancellationToken);
        loggers.CreateLogger("Redoubt.Operator").LogInformation("Serving metrics on {Address}metrics", listener.Address);
        try
        {
            return await KubernetesCommands.RunOperatorAsync(new OperatorOptions { Kubeconfig = kubeconfig, Manifests = manifests, Telemetry = telemetry }, loggers, cancellationToken);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }
}
