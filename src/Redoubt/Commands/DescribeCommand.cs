using System.CommandLine;
using Redoubt.Model;
using Redoubt.Output;
using Redoubt.Terminal;
using Redoubt.Web;

namespace Redoubt.Commands;

public static class DescribeCommand
{
    public static Command Create()
    {
        var name = CommonOptions.Name();
        var @namespace = CommonOptions.Namespace();
        var output = CommonOptions.Output("Output format; json is the resource with its status, as `get NAME -o json`", "text", "json");
        var watch = CommonOptions.Watch("Keep showing the resource, redrawn when it changes (in a pipe: a new block per change); Ctrl-C ends it");
        var command = new Command("describe", "Show one resource in detail: spec, conditions, nodes, last failover, events, where the dashboard is")
        {
            name, @namespace, output, watch,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var (resourceNamespace, resourceName) = (parseResult.GetRequiredValue(@namespace), parseResult.GetRequiredValue(name));
            var json = parseResult.GetRequiredValue(output) == "json";
            using var client = invocation.Connect();
            var resource = await client.GetAsync(resourceNamespace, resourceName, cancellationToken)
                ?? throw NotFound.Resource(resourceNamespace, resourceName, invocation);
            // Read once the control plane has answered: a file left by a killed one is gone by then.
            var web = WebEndpoints.Read(invocation.Home.Path);

            if (!parseResult.GetValue(watch))
            {
                ConsoleText.Write(Render(resource, json, web, DateTimeOffset.Now));
                return ExitCodes.Success;
            }

            var first = true;
            await LiveWatch.RunAsync(async token =>
            {
                var current = first ? resource : await client.GetAsync(resourceNamespace, resourceName, token);
                first = false;
                if (current is null)
                {
                    var gone = $"redis {resourceNamespace}/{resourceName} not found (deleted?); still watching\n";
                    return new WatchFrame(gone, gone);
                }
                return new WatchFrame(ChangeKey(current, json, web), Render(current, json, web, DateTimeOffset.Now));
            }, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Render(RedisResource resource, bool json, WebEndpoints? web, DateTimeOffset now) => json
        ? ResourceSerializer.ToJson(resource) + "\n"
        : ResourceDescription.Render(resource, now) + "\n" + WebInfo.Render(web, indent: "", labelWidth: 15);

    /// <summary>
    /// The description without what moves on its own (ages, replication offsets), so a piped watch prints a new
    /// block when something happened, not each time a replica acknowledges a few more bytes.
    /// </summary>
    private static string ChangeKey(RedisResource resource, bool json, WebEndpoints? web)
    {
        var copy = ResourceSerializer.FromJson(ResourceSerializer.ToJson(resource));
        foreach (var node in copy.Status?.Nodes ?? [])
        {
            node.ReplicationOffset = 0;
        }
        return Render(copy, json, web, DateTimeOffset.UnixEpoch);
    }
}
