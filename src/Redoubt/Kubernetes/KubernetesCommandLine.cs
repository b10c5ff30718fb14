using System.CommandLine;
using Redoubt.Commands;

namespace Redoubt.Kubernetes;

/// <summary>
/// The `render` and `operator` commands. Their options live here, next to the entry points, so the Kubernetes
/// platform can grow them without touching the local commands.
/// </summary>
public static class KubernetesCommandLine
{
    public static Command CreateRender()
    {
        var file = CommonOptions.File("YAML file with one or more Redis resources");
        var command = new Command("render", "Print the Kubernetes manifests for the resources of FILE") { file };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (text, fileName) = await InputFile.ReadAsync(parseResult.GetRequiredValue(file), cancellationToken);
            return await KubernetesEntryPoints.RenderAsync(text, fileName, cancellationToken);
        });
        return command;
    }

    public static Command CreateOperator()
    {
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "Kubeconfig file of the cluster to run against [default: $KUBECONFIG, else ~/.kube/config, else the pod's ServiceAccount]",
            HelpName = "FILE",
        };
        var command = new Command("operator", "Run the Kubernetes operator (in a cluster, or against the current kubeconfig)") { kubeconfig };
        command.SetAction((parseResult, cancellationToken) =>
            KubernetesEntryPoints.RunOperatorAsync(parseResult.GetValue(kubeconfig), cancellationToken));
        return command;
    }
}
