using System.Text.Json;
using System.CommandLine;
using System.Diagnostics;
using Redoubt.Core;
using Redoubt.Model;
using Redoubt.Output;
using Redoubt.Terminal;

namespace Redoubt.Commands;

/// <summary>
/// <c>redoubt restart NAME</c>: a rolling restart, one node at a time, Sentinels, then replicas, then the master
/// after a switchover; with <c>--wait</c>, follows it until every node runs its current configuration.
/// </summary>
public static class RestartCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var name = CommonOptions.Name();
        var @namespace = CommonOptions.Namespace();
        var wait = new Option<bool>("--wait") { Description = "Follow the restart until every node is restarted and the resource is Ready" };
        var timeout = new Option<int>("--timeout") { Description = "With --wait: give up after this many seconds", HelpName = "SECONDS", DefaultValueFactory = _ => 600 };
        var output = CommonOptions.Output("Output format; json is one object at the end (restartedAt, and with --wait ready and elapsedMs), the progress going to stderr", "text", "json");
        var command = new Command("restart", "Rolling restart: every node restarts in turn, the master last after a switchover, writes keep going") { name, @namespace, wait, timeout, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var (resourceNamespace, resourceName) = (parseResult.GetRequiredValue(@namespace), parseResult.GetRequiredValue(name));
            using var client = invocation.Connect();
            var mark = await client.RestartAsync(resourceNamespace, resourceName, cancellationToken)
                ?? throw NotFound.Resource(resourceNamespace, resourceName, invocation);
            var label = $"redis {resourceNamespace}/{resourceName}";
            var json = parseResult.GetRequiredValue(output) == "json";
            // With -o json, stdout carries the one JSON document; what people read goes to stderr.
            Action<string> say = json ? ConsoleText.WriteNote : line => ConsoleText.WriteLine(line);
            say($"{label}: rolling restart requested ({mark}): Sentinels first, then replicas, then the master after a switchover");
            if (!parseResult.GetValue(wait))
            {
                say($"follow it with `{invocation.Redoubt} describe {resourceName}` (condition UpToDate)");
                if (json)
                {
                    ConsoleText.WriteLine(JsonSerializer.Serialize(new RestartReport(resourceNamespace, resourceName, mark, Ready: null, ElapsedMs: null), CommandJson.Indented));
                }
                return ExitCodes.Success;
            }

            var limit = TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(timeout)));
            var clock = Stopwatch.StartNew();
            var started = false;
            string? shown = null;
            while (clock.Elapsed < limit)
            {
                var status = (await client.GetAsync(resourceNamespace, resourceName, cancellationToken))?.Status
                    ?? throw new RedoubtException($"{label} was deleted during the restart");
                var upToDate = status.Conditions.FirstOrDefault(c => c.Type == "UpToDate");
                started |= upToDate?.Status == "False";
                // Until the control plane has seen the request, the condition still describes the time before it.
                if (started && upToDate is not null && upToDate.Message != shown)
                {
                    shown = upToDate.Message;
                    say($"  {Durations.Milliseconds(clock.Elapsed.TotalMilliseconds),8}  {shown}");
                }

                if (started && upToDate?.Status == "True" && status.Phase == Phases.Ready)
                {
                    say($"{label}: every node restarted; Ready after {Durations.Milliseconds(clock.Elapsed.TotalMilliseconds)}");
                    if (json)
                    {
                        ConsoleText.WriteLine(JsonSerializer.Serialize(
                            new RestartReport(resourceNamespace, resourceName, mark, Ready: true, Math.Round(clock.Elapsed.TotalMilliseconds)), CommandJson.Indented));
                    }
                    return ExitCodes.Success;
                }

                if (!started && clock.Elapsed > StartLimit)
                {
                    throw new RedoubtException($"{label}: the control plane has not started the restart within {StartLimit.TotalSeconds:F0} s; see `{invocation.Redoubt} describe {resourceName}`");
                }

                await Task.Delay(Poll, cancellationToken);
            }

            throw new RedoubtException($"{label}: the restart did not finish within {limit.TotalSeconds:F0} s; it goes on, see `{invocation.Redoubt} describe {resourceName}`");
        });
        return command;
    }
}
