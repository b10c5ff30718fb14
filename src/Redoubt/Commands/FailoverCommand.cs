using System.Text.Json;
using System.CommandLine;
using Redoubt.Core;
using Redoubt.Output;
using Redoubt.Terminal;

namespace Redoubt.Commands;

public static class FailoverCommand
{
    public static Command Create()
    {
        var name = CommonOptions.Name();
        var @namespace = CommonOptions.Namespace();
        var to = new Option<string?>("--to") { Description = "Node to promote [default: the most caught-up replica]", HelpName = "NODE" };
        var output = CommonOptions.Output("Output format; json is the switchover's result (from, to, writePauseMs)", "text", "json");
        var command = new Command("failover", "Planned switchover: move the master to a replica without losing an acknowledged write") { name, @namespace, to, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var (resourceNamespace, resourceName) = (parseResult.GetRequiredValue(@namespace), parseResult.GetRequiredValue(name));
            using var client = invocation.Connect();
            _ = await client.GetAsync(resourceNamespace, resourceName, cancellationToken)
                ?? throw NotFound.Resource(resourceNamespace, resourceName, invocation);
            var result = await client.FailoverAsync(resourceNamespace, resourceName, parseResult.GetValue(to), cancellationToken);
            if (!result.Succeeded)
            {
                throw new RedoubtException($"redis {resourceNamespace}/{resourceName}: switchover refused or failed: {result.Message}");
            }
            if (parseResult.GetRequiredValue(output) == "json")
            {
                ConsoleText.WriteLine(JsonSerializer.Serialize(result, CommandJson.Indented));
                return ExitCodes.Success;
            }
            ConsoleText.WriteLine(
                $"redis {resourceNamespace}/{resourceName}: master moved from {result.From ?? "?"} to {result.To ?? "?"}, " +
                $"writes paused {Durations.Milliseconds(result.WritePauseMs)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
