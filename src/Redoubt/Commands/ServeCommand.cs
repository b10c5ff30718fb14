using System.CommandLine;
using Microsoft.Extensions.Logging;
using Redoubt.Terminal;
using Redoubt.Web;

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
            await using var serving = await LocalServing.StartAsync(invocation, Redoubt.Web.WebAddress.Resolve(parseResult.GetValue(web)), "stop it first, or choose another home with --home", logsOnTerminal: true, cancellationToken);
            var logger = serving.LoggerFactory.CreateLogger(typeof(ServeCommand).FullName!);
            logger.LogInformation("Control plane ready on {Home}; Ctrl-C stops it and every node, keeping their data", invocation.Home.Path);
            if (serving.Host.Web is { } listener)
            {
                // The address only: the token stays in its 0600 file, for whoever may read it.
                var endpoints = WebEndpoints.Of(listener, invocation.Home.Path);
                logger.LogInformation("Dashboard on {Dashboard} (its token is in {TokenFile}); metrics on {Metrics}", endpoints.Dashboard, endpoints.TokenFile, endpoints.Metrics);
            }

            await LocalServing.WaitForTerminationAsync(cancellationToken);

            logger.LogInformation("Stopping every node; data kept in {Home}", invocation.Home.Path);
            await serving.StopAsync();
            logger.LogInformation("Stopped");
            return ExitCodes.Success;
        });
        return command;
    }
}
