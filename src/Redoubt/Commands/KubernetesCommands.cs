using System.CommandLine;
using Redoubt.Kubernetes;

namespace Redoubt.Commands;

/// <summary>The command-line side of `render` and `operator`; the work is behind <see cref="KubernetesEntryPoints"/>.</summary>
public static class KubernetesCommands
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
        var command = new Command("operator", "Run the Kubernetes operator (in a cluster, or against the current kubeconfig)");
        command.SetAction((parseResult, cancellationToken) => KubernetesEntryPoints.RunOperatorAsync(cancellationToken));
        return command;
    }
}
