using System.Text.Json;
using System.CommandLine;
using Redoubt.Core;
using Redoubt.Output;
using Redoubt.Terminal;

namespace Redoubt.Commands;

public static class ApplyCommand
{
    public static Command Create()
    {
        var file = CommonOptions.File("YAML file with one or more Redis resources");
        var output = CommonOptions.Output("Output format; json is the list of resources with what changed", "text", "json");
        var command = new Command("apply", "Create or update the resources of a file on the running control plane") { file, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var (text, fileName) = await InputFile.ReadAsync(parseResult.GetRequiredValue(file), cancellationToken);
            using var client = invocation.Connect();
            var result = await client.ApplyAsync(text, fileName, cancellationToken);
            if (!result.Succeeded)
            {
                throw new RedoubtException(ApplyReport.Errors(result.Errors));
            }
            ConsoleText.Write(parseResult.GetRequiredValue(output) == "json"
                ? JsonSerializer.Serialize(result.Applied, CommandJson.Indented) + "\n"
                : ApplyReport.Render(result));
            return ExitCodes.Success;
        });
        return command;
    }
}
