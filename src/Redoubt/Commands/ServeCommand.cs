using System.CommandLine;
using Microsoft.Extensions.Logging;
using Redoubt.Terminal;

namespace Redoubt.Commands;

public static class ServeCommand
{
    public static Command Create()
    {
        var web = CommonOptions.Web();
        var command = new Command("serve", "Run the local control plane in the foreground: adopt or start every resource's nodes, serve the API socket") { web };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            await using var serving = await LocalServing.StartAsync(invocation, Redoubt.Web.WebAddress.Resolve(parseResult.GetValue(web)), "stop it first, or choose another home with --home", cancellationToken);
            var logger = serving.LoggerFactory.CreateLogger(typeof(ServeCommand).FullName!);
            logger.LogInformation("Control plane ready on {Home}; Ctrl-C stops it and every node, keeping their data", invocation.Home.Path);

            await LocalServing.WaitForTerminationAsync(cancellationToken);

            logger.LogInformation("Stopping every node; data kept in {Home}", invocation.Home.Path);
            await serving.StopAsync();
            logger.LogInformation("Stopped");
            return ExitCodes.Success;
        });
        return command;
    }
}
