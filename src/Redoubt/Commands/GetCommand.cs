using System.CommandLine;
using Redoubt.Model;
using Redoubt.Output;
using Redoubt.Terminal;

namespace Redoubt.Commands;

public static class GetCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "Name of one Redis resource; all of them when omitted", Arity = ArgumentArity.ZeroOrOne };
        var output = CommonOptions.Output("Output format", "table", "json", "yaml");
        var @namespace = new Option<string?>("--namespace", "-n")
        {
            Description = $"Namespace of the resource(s) [default: \"{CommonOptions.DefaultNamespace}\" with NAME, every namespace without]",
            HelpName = "NAMESPACE",
        };
        var watch = CommonOptions.Watch("Keep showing the resources, redrawn when they change (in a pipe: a new block per change); Ctrl-C ends it");
        var command = new Command("get", "Show Redis resources and their status") { name, output, @namespace, watch };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            using var client = invocation.Connect();
            var format = parseResult.GetRequiredValue(output);
            var resourceName = parseResult.GetValue(name);
            var namespaceName = parseResult.GetValue(@namespace);

            async Task<List<RedisResource>> ReadAsync(CancellationToken token)
            {
                if (resourceName is null)
                {
                    return [.. (await client.ListAsync(token)).Where(resource => namespaceName is null || resource.Metadata.Namespace == namespaceName)];
                }
                var resourceNamespace = namespaceName ?? CommonOptions.DefaultNamespace;
                return await client.GetAsync(resourceNamespace, resourceName, token) is { } resource ? [resource] : [];
            }

            var resources = await ReadAsync(cancellationToken);
            if (resourceName is not null && resources.Count == 0)
            {
                throw NotFound.Resource(namespaceName ?? CommonOptions.DefaultNamespace, resourceName, invocation);
            }
            if (parseResult.GetValue(watch))
            {
                var first = true;
                await LiveWatch.RunAsync(async token =>
                {
                    var current = first ? resources : await ReadAsync(token);
                    first = false;
                    return new WatchFrame(
                        ResourceTable.Build(current, DateTimeOffset.UnixEpoch).Render(),
                        Render(current, format, single: resourceName is not null, DateTimeOffset.Now, invocation, namespaceName));
                }, cancellationToken);
                return ExitCodes.Success;
            }

            if (resources.Count == 0 && format == "table")
            {
                Console.Error.Write(Render(resources, format, single: false, DateTimeOffset.Now, invocation, namespaceName));
                return ExitCodes.Success;
            }
            ConsoleText.Write(Render(resources, format, single: resourceName is not null, DateTimeOffset.Now, invocation, namespaceName));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Render(List<RedisResource> resources, string format, bool single, DateTimeOffset now, Invocation invocation, string? namespaceName) => format switch
    {
        "json" when single && resources.Count == 1 => ResourceSerializer.ToJson(resources[0]) + "\n",
        "json" => ResourceSerializer.ToJson(resources) + "\n",
        "yaml" when resources.Count == 0 => "",
        "yaml" => EndWithNewLine(single ? ResourceSerializer.ToYaml(resources[0]) : ResourceSerializer.ToYaml(resources)),
        _ when resources.Count == 0 => namespaceName is null
            ? $"no Redis resources in {invocation.Home}: create one with `{invocation.Redoubt} apply -f FILE`\n"
            : $"no Redis resources in namespace {namespaceName}\n",
        _ => ResourceTable.Build(resources, now).Render(),
    };

    private static string EndWithNewLine(string text) => text.EndsWith('\n') ? text : text + "\n";
}
