using Redoubt.Terminal;

namespace Redoubt.Kubernetes;

/// <summary>
/// Where `render` and `operator` hand over to the Kubernetes platform. The command line reads the file and owns
/// the options; these two methods are the whole seam. Both are placeholders, to be replaced by the Kubernetes
/// platform's implementation.
/// </summary>
public static class KubernetesEntryPoints
{
    private const string NotInThisBuild = "the Kubernetes platform is not part of this build yet";

    /// <summary>Prints the Kubernetes manifests for the resources in <paramref name="yaml"/> to stdout; returns the exit code.</summary>
    public static Task<int> RenderAsync(string yaml, string fileName, CancellationToken cancellationToken)
    {
        ConsoleText.WriteError(NotInThisBuild);
        return Task.FromResult(ExitCodes.Usage);
    }

    /// <summary>Runs the operator until <paramref name="cancellationToken"/> fires (Ctrl-C, SIGTERM); returns the exit code.</summary>
    public static Task<int> RunOperatorAsync(CancellationToken cancellationToken)
    {
        ConsoleText.WriteError(NotInThisBuild);
        return Task.FromResult(ExitCodes.Usage);
    }
}
