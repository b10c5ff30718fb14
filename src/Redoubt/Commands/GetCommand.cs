using System.CommandLine;
using Redoubt.Model;
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
        var command = new Command("get", "Show Redis resources and their status") { name, output, @namespace };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            using var client = invocation.Connect();
            var format = parseResult.GetRequiredValue(output);
            var resourceName = parseResult.GetValue(name);
            var namespaceName = parseResult.GetValue(@namespace);

            if (resourceName is not null)
            {
                var resourceNamespace = namespaceName ?? CommonOptions.DefaultNamespace;
                var resource = await client.GetAsync(resourceNamespace, resourceName, cancellationToken)
                    ?? throw NotFound.Resource(resourceNamespace, resourceName, invocation);
                Print([resource], format, single: true);
                return ExitCodes.Success;
            }

            var resources = (await client.ListAsync(cancellationToken))
                .Where(resource => namespaceName is null || resource.Metadata.Namespace == namespaceName)
                .ToList();
            if (resources.Count == 0 && format == "table")
            {
                Console.Error.WriteLine(namespaceName is null
                    ? $"no Redis resources in {invocation.Home}: create one with `{invocation.Redoubt} apply -f FILE`"
                    : $"no Redis resources in namespace {namespaceName}");
                return ExitCodes.Success;
            }
            Print(resources, format, single: false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(List<RedisResource> resources, string format, bool single)
    {
        switch (format)
        {
            case "json":
                ConsoleText.WriteLine(single ? ResourceSerializer.ToJson(resources[0]) : ResourceSerializer.ToJson(resources));
                break;
            case "yaml" when resources.Count == 0:
                break;
            case "yaml":
                ConsoleText.Write(EndWithNewLine(single ? ResourceSerializer.ToYaml(resources[0]) : ResourceSerializer.ToYaml(resources)));
                break;
            default:
                ConsoleText.Write(Output.ResourceTable.Build(resources, DateTimeOffset.Now).Render());
                break;
        }
    }

    private static string EndWithNewLine(string text) => text.EndsWith('\n') ? text : text + "\n";
}
