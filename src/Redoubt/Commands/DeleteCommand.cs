using System.CommandLine;
using Redoubt.Terminal;

namespace Redoubt.Commands;

public static class DeleteCommand
{
    public static Command Create()
    {
        var name = CommonOptions.Name();
        var @namespace = CommonOptions.Namespace();
        var keepData = new Option<bool>("--keep-data") { Description = "Stop the nodes but keep their data and password; applying the resource again brings them back" };
        var command = new Command("delete", "Stop every node of a resource and remove it") { name, @namespace, keepData };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var (resourceNamespace, resourceName) = (parseResult.GetRequiredValue(@namespace), parseResult.GetRequiredValue(name));
            var keep = parseResult.GetValue(keepData);
            using var client = invocation.Connect();
            if (!await client.DeleteAsync(resourceNamespace, resourceName, keep, cancellationToken))
            {
                throw NotFound.Resource(resourceNamespace, resourceName, invocation);
            }
            ConsoleText.WriteLine($"redis {resourceNamespace}/{resourceName} deleted" + (keep ? $" (data kept in {invocation.Home})" : ""));
            return ExitCodes.Success;
        });
        return command;
    }
}
