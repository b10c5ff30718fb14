using System.CommandLine;
using Redoubt.Core;
using Redoubt.Platforms.Local;
using Redoubt.Terminal;

namespace Redoubt.Commands;

/// <summary>
/// <c>redoubt logs NAME NODE [-f] [--tail N]</c>: the log a Redis node (or Sentinel) writes itself, read from the
/// home, so it works even while no control plane runs.
/// </summary>
public static class LogsCommand
{
    public static Command Create()
    {
        var name = CommonOptions.Name();
        var node = new Argument<string>("NODE") { Description = "Node or Sentinel of the resource, e.g. redis-0 or sentinel-1 (`describe NAME` lists them)" };
        var @namespace = CommonOptions.Namespace();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines as the node writes them; Ctrl-C ends it" };
        var tail = new Option<int?>("--tail") { Description = "Print only the last N lines first [default: all]", HelpName = "N" };
        var command = new Command("logs", "Print the log of one Redis node or Sentinel of a resource") { name, node, @namespace, follow, tail };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var (resourceNamespace, resourceName, nodeName) = (parseResult.GetRequiredValue(@namespace), parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(node));
            var lines = parseResult.GetValue(tail);
            if (lines is < 0)
            {
                throw new RedoubtException($"--tail: must be a number of lines, 0 or more; got {lines}");
            }

            var nodes = NodeLogs.Nodes(invocation.Home.Path, resourceNamespace, resourceName)
                ?? throw NotFound.Resource(resourceNamespace, resourceName, invocation);
            if (!nodes.Contains(nodeName, StringComparer.Ordinal))
            {
                throw new RedoubtException(
                    $"redis {resourceNamespace}/{resourceName} has no node {nodeName}: its nodes are " +
                    (nodes.Count == 0 ? "not created yet" : string.Join(", ", nodes)));
            }

            var path = NodeLogs.PathOf(invocation.Home.Path, resourceNamespace, resourceName, nodeName);
            var following = parseResult.GetValue(follow);
            if (!File.Exists(path))
            {
                ConsoleText.WriteNote($"{nodeName} has written no log yet ({path})" + (following ? "; waiting for it" : ""));
            }
            try
            {
                await LogFollower.PrintAsync(path, lines, following, Console.Out, cancellationToken);
            }
            catch (OperationCanceledException) when (following && cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C ends a follow.
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
