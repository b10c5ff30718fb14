using System.CommandLine;
using Redoubt.Core;
using Redoubt.Model;
using Redoubt.Output;
using Redoubt.Terminal;
using Redoubt.Web;

namespace Redoubt.Commands;

public static class UpCommand
{
    private static readonly TimeSpan ProgressPatience = TimeSpan.FromSeconds(120);

    public static Command Create()
    {
        var file = CommonOptions.File("YAML file with one or more Redis resources");
        var web = CommonOptions.Web();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the control plane's log here as well as to logs/control-plane.log in the home" };
        var command = new Command("up", "Serve in the foreground and apply FILE, showing the nodes as they come up; Ctrl-C stops every node and keeps the data") { file, web, verbose };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var path = parseResult.GetRequiredValue(file);
            var (text, fileName) = await InputFile.ReadAsync(path, cancellationToken);

            // Nothing starts for a file that cannot be applied.
            var load = ResourceLoader.Load(text, fileName);
            if (load.Errors.Count > 0)
            {
                throw new RedoubtException(ApplyReport.Errors(load.Errors));
            }
            if (load.Resources.Count == 0)
            {
                throw new RedoubtException($"{fileName}: no Redis resource in this file (apiVersion {RedisResource.ApiVersionValue}, kind {RedisResource.KindValue})");
            }

            var upAgain = $"{invocation.Redoubt} up -f {ShellQuote.Quote(path)}";
            await using var serving = await LocalServing.StartAsync(
                invocation, WebAddress.Resolve(parseResult.GetValue(web)), $"apply the file to it with `{invocation.Redoubt} apply -f {ShellQuote.Quote(path)}`",
                logsOnTerminal: parseResult.GetValue(verbose), cancellationToken);
            try
            {
                var progress = await ApplyAndWatchAsync(serving, invocation, text, fileName, cancellationToken);
                await progress.FollowWarningsAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C while the nodes were still starting: stop them all the same.
            }
            finally
            {
                ConsoleText.WriteLine();
                ConsoleText.WriteLine($"stopping… data kept in {invocation.Home}; run `{upAgain}` again to bring it back");
                await serving.StopAsync();
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<StartupProgress> ApplyAndWatchAsync(LocalServing serving, Invocation invocation, string text, string fileName, CancellationToken cancellationToken)
    {
        var controlPlane = serving.Host.ControlPlane;
        var result = await controlPlane.ApplyAsync(text, fileName, cancellationToken);
        if (!result.Succeeded)
        {
            throw new RedoubtException(ApplyReport.Errors(result.Errors));
        }
        ConsoleText.Write(ApplyReport.Render(result));

        var resources = result.Applied.Select(applied => (applied.Namespace, applied.Name)).ToList();
        var progress = new StartupProgress(controlPlane, resources, serving.Logs, TimeProvider.System);
        if (!await progress.WaitUntilReadyAsync(ProgressPatience, cancellationToken))
        {
            ConsoleText.WriteWarning(
                $"not every resource is Ready after {ProgressPatience.TotalSeconds:0} s; still serving and healing: " +
                $"see why with `{invocation.Redoubt} describe NAME`");
        }

        ConsoleText.WriteLine();
        foreach (var (@namespace, name) in resources)
        {
            if (await controlPlane.GetCredentialsAsync(@namespace, name, cancellationToken) is { } credentials)
            {
                ConsoleText.Write(ConnectionInfo.Render(credentials, showPassword: false, invocation.Redoubt));
                ConsoleText.WriteLine();
            }
        }
        var listener = serving.Host.Web;
        ConsoleText.Write(WebInfo.RenderForUp(
            listener is null ? null : WebEndpoints.DashboardWithToken(listener),
            listener is null ? null : WebEndpoints.Of(listener, invocation.Home.Path),
            serving.Logs.FilePath ?? ControlPlaneLogFile.PathIn(invocation.Home.Path)));
        ConsoleText.WriteLine();
        ConsoleText.WriteLine(
            $"Serving {invocation.Home}. From another terminal: `{invocation.Redoubt} get -w`, `{invocation.Redoubt} describe NAME`, " +
            $"`{invocation.Redoubt} events -w`, `{invocation.Redoubt} logs NAME NODE -f`, `{invocation.Redoubt} credentials NAME`. " +
            "Ctrl-C stops every node (data is kept); warnings show here.");
        return progress;
    }
}
