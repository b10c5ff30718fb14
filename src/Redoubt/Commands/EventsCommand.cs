using System.CommandLine;
using System.Text.Json;
using Redoubt.Api;
using Redoubt.Output;
using Redoubt.Terminal;

namespace Redoubt.Commands;

/// <summary>
/// <c>redoubt events [NAME] [-w]</c>: what happened to one resource or to every one (failovers, crashes, restarts),
/// oldest first; with <c>-w</c>, follows the new ones.
/// </summary>
public static class EventsCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly JsonSerializerOptions Indented = new(ApiJson.Options) { WriteIndented = true };
    private static readonly JsonSerializerOptions Compact = new(ApiJson.Options) { WriteIndented = false };

    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "Name of one Redis resource; every resource's events when omitted", Arity = ArgumentArity.ZeroOrOne };
        var @namespace = new Option<string?>("--namespace", "-n")
        {
            Description = $"Namespace of the resource(s) [default: \"{CommonOptions.DefaultNamespace}\" with NAME, every namespace without]",
            HelpName = "NAMESPACE",
        };
        var output = CommonOptions.Output("Output format; json is an array, or with -w one object per line", "table", "json");
        var watch = CommonOptions.Watch("Keep printing new events as they happen; Ctrl-C ends it");
        var command = new Command("events", "List the events of one resource or of every one: time, resource, type, reason, message") { name, @namespace, output, watch };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            using var client = invocation.Connect();
            var resourceName = parseResult.GetValue(name);
            var namespaceName = parseResult.GetValue(@namespace);
            var json = parseResult.GetRequiredValue(output) == "json";

            async Task<IReadOnlyList<ResourceEvent>> ReadAsync(CancellationToken token)
            {
                if (resourceName is null)
                {
                    return ResourceEvent.Of((await client.ListAsync(token)).Where(resource => namespaceName is null || resource.Metadata.Namespace == namespaceName));
                }
                var resourceNamespace = namespaceName ?? CommonOptions.DefaultNamespace;
                return await client.GetAsync(resourceNamespace, resourceName, token) is { } resource ? ResourceEvent.Of([resource]) : [];
            }

            if (resourceName is not null && await client.GetAsync(namespaceName ?? CommonOptions.DefaultNamespace, resourceName, cancellationToken) is null)
            {
                throw NotFound.Resource(namespaceName ?? CommonOptions.DefaultNamespace, resourceName, invocation);
            }

            if (!parseResult.GetValue(watch))
            {
                var events = await ReadAsync(cancellationToken);
                if (json)
                {
                    ConsoleText.WriteLine(JsonSerializer.Serialize(events, Indented));
                }
                else if (events.Count == 0)
                {
                    Console.Error.WriteLine(resourceName is null ? "no events" : $"no events for redis {namespaceName ?? CommonOptions.DefaultNamespace}/{resourceName}");
                }
                else
                {
                    ConsoleText.Write(EventTable.Build(events, TimeZoneInfo.Local).Render());
                }
                return ExitCodes.Success;
            }

            await FollowAsync(ReadAsync, json, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task FollowAsync(Func<CancellationToken, Task<IReadOnlyList<ResourceEvent>>> read, bool json, CancellationToken cancellationToken)
    {
        var feed = new EventFeed();
        if (!json)
        {
            ConsoleText.WriteLine(EventTable.FollowHeader);
        }
        try
        {
            while (true)
            {
                foreach (var resourceEvent in feed.Next(await read(cancellationToken)))
                {
                    ConsoleText.WriteLine(json ? JsonSerializer.Serialize(resourceEvent, Compact) : EventTable.Line(resourceEvent, TimeZoneInfo.Local));
                }
                Console.Out.Flush();
                await Task.Delay(Poll, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: the watch is over.
        }
    }
}
