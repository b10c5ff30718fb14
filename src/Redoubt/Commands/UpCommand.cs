using System.CommandLine;
using Redoubt.Core;
using Redoubt.Model;
using Redoubt.Output;
using Redoubt.Terminal;

namespace Redoubt.Commands;

public static class UpCommand
{
    private static readonly TimeSpan ProgressPatience = TimeSpan.FromSeconds(120);

    public static Command Create()
    {
        var file = CommonOptions.File("YAML file with one or more Redis resources");
        var web = CommonOptions.Web();
        var command = new Command("up", "Serve in the foreground and apply FILE; Ctrl-C stops every node and keeps the data") { file, web };
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
                invocation, Redoubt.Web.WebAddress.Resolve(parseResult.GetValue(web)), $"apply the file to it with `{invocation.Redoubt} apply -f {ShellQuote.Quote(path)}`", cancellationToken);
            try
            {
                await ApplyAndWatchAsync(serving, invocation, text, fileName, cancellationToken);
                await LocalServing.WaitForTerminationAsync(cancellationToken);
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

    private static async Task ApplyAndWatchAsync(LocalServing serving, Invocation invocation, string text, string fileName, CancellationToken cancellationToken)
    {
        var controlPlane = serving.Host.ControlPlane;
        var result = await controlPlane.ApplyAsync(text, fileName, cancellationToken);
        if (!result.Succeeded)
        {
            throw new RedoubtException(ApplyReport.Errors(result.Errors));
        }
        ConsoleText.Write(ApplyReport.Render(result));

        var resources = result.Applied.Select(applied => (applied.Namespace, applied.Name)).ToList();
        var progress = new StartupProgress(controlPlane, resources, serving.Logs);
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
        ConsoleText.WriteLine(
            $"Serving {invocation.Home}. From another terminal: `{invocation.Redoubt} get`, `{invocation.Redoubt} describe NAME`, " +
            $"`{invocation.Redoubt} credentials NAME`. Ctrl-C stops every node (data is kept).");
    }
}
