using System.CommandLine;
using Redoubt.Output;
using Redoubt.Terminal;

namespace Redoubt.Commands;

public static class DescribeCommand
{
    public static Command Create()
    {
        var name = CommonOptions.Name();
        var @namespace = CommonOptions.Namespace();
        var command = new Command("describe", "Show one resource in detail: spec, conditions, nodes, last failover, events") { name, @namespace };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var (resourceNamespace, resourceName) = (parseResult.GetRequiredValue(@namespace), parseResult.GetRequiredValue(name));
            using var client = invocation.Connect();
            var resource = await client.GetAsync(resourceNamespace, resourceName, cancellationToken)
                ?? throw NotFound.Resource(resourceNamespace, resourceName, invocation);
            ConsoleText.Write(ResourceDescription.Render(resource, DateTimeOffset.Now));
            return ExitCodes.Success;
        });
        return command;
    }
}
