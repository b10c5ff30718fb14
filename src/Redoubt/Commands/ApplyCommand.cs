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
        var command = new Command("apply", "Create or update the resources of a file on the running control plane") { file };
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
            ConsoleText.Write(ApplyReport.Render(result));
            return ExitCodes.Success;
        });
        return command;
    }
}
