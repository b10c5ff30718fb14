using Redoubt.Platforms.Kubernetes;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Operator;
using Redoubt.Terminal;

namespace Redoubt.Kubernetes;

/// <summary>
/// Where `render` and `operator` hand over to the Kubernetes platform. The command line reads the file and owns
/// the options; the platform does the work.
/// </summary>
public static class KubernetesEntryPoints
{
    /// <summary>Prints the Kubernetes manifests for the resources in <paramref name="yaml"/> to stdout; returns the exit code.</summary>
    public static Task<int> RenderAsync(string yaml, string fileName, CancellationToken cancellationToken) =>
        KubernetesCommands.RenderTextAsync(yaml, fileName, new ManifestOptions(), Console.Out, Console.Error, cancellationToken);

    /// <summary>Runs the operator until <paramref name="cancellationToken"/> fires (Ctrl-C, SIGTERM); returns the exit code.</summary>
    public static async Task<int> RunOperatorAsync(string? kubeconfig, CancellationToken cancellationToken)
    {
        using var loggers = ControlPlaneLogging.CreateFactory(TerminalLog.StandardError());
        return await KubernetesCommands.RunOperatorAsync(new OperatorOptions { Kubeconfig = kubeconfig }, loggers, cancellationToken);
    }
}
