using Redoubt.Core.ControlPlane;
using Redoubt.Model;
using Redoubt.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Redoubt.Terminal;

/// <summary>
/// Shows the nodes of freshly applied resources coming up until every resource is Ready or the patience runs out.
/// On a terminal it is a live table refreshed four times a second; in a pipe or a log it prints a line whenever a
/// node or phase changes.
/// </summary>
public sealed class StartupProgress
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    private readonly IControlPlane _controlPlane;
    private readonly IReadOnlyList<(string Namespace, string Name)> _resources;
    private readonly TerminalLog _logs;

    public StartupProgress(IControlPlane controlPlane, IReadOnlyList<(string Namespace, string Name)> resources, TerminalLog logs)
    {
        _controlPlane = controlPlane;
        _resources = resources;
        _logs = logs;
    }

    /// <summary>True when every resource reached Ready within <paramref name="patience"/>.</summary>
    public async Task<bool> WaitUntilReadyAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(patience);
        try
        {
            if (IsInteractive())
            {
                await ShowLiveAsync(deadline.Token);
            }
            else
            {
                await PrintChangesAsync(deadline.Token);
            }
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static bool IsInteractive() =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities is { Interactive: true, Ansi: true };

    private async Task ShowLiveAsync(CancellationToken cancellationToken)
    {
        // Log lines written while the display redraws would tear it; they are queued and written right after.
        using var held = _logs.Hold();
        var resources = await FetchAsync(cancellationToken);
        await AnsiConsole.Live(View(resources)).AutoClear(false).StartAsync(async context =>
        {
            while (!AllReady(resources))
            {
                await Task.Delay(RefreshInterval, cancellationToken);
                resources = await FetchAsync(cancellationToken);
                context.UpdateTarget(View(resources));
            }
        });
    }

    private async Task PrintChangesAsync(CancellationToken cancellationToken)
    {
        var previous = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var resources = await FetchAsync(cancellationToken);
            var current = resources.SelectMany(ProgressLines).ToList();
            foreach (var line in current.Where(line => !previous.Contains(line)))
            {
                ConsoleText.WriteLine(line);
            }
            previous = [.. current];
            if (AllReady(resources))
            {
                return;
            }
            await Task.Delay(RefreshInterval, cancellationToken);
        }
    }

    /// <summary>
    /// The lines that describe a resource's progress, the phase last so that "phase Ready" closes the story; a line
    /// is printed again only when it changes.
    /// </summary>
    public static IEnumerable<string> ProgressLines(RedisResource resource)
    {
        var key = $"redis {resource.Key}";
        foreach (var row in NodeTable.BuildProgress(resource).Rows)
        {
            yield return $"{key}: {string.Join(' ', row)}";
        }
        foreach (var condition in resource.Status?.Conditions.Where(condition => condition.Status != "True") ?? [])
        {
            yield return $"{key}: {condition.Type} {condition.Status}: {condition.Reason}, {condition.Message}";
        }
        yield return $"{key}: phase {resource.Status?.Phase ?? Phases.Pending}";
    }

    private async Task<IReadOnlyList<RedisResource>> FetchAsync(CancellationToken cancellationToken)
    {
        var resources = new List<RedisResource>(_resources.Count);
        foreach (var (@namespace, name) in _resources)
        {
            resources.Add(await _controlPlane.GetAsync(@namespace, name, cancellationToken)
                ?? new RedisResource { Metadata = new ObjectMeta { Namespace = @namespace, Name = name } });
        }
        return resources;
    }

    private static bool AllReady(IReadOnlyList<RedisResource> resources) =>
        resources.All(resource => resource.Status?.Phase == Phases.Ready);

    private static Rows View(IReadOnlyList<RedisResource> resources)
    {
        var parts = new List<IRenderable>();
        foreach (var resource in resources)
        {
            var phase = resource.Status?.Phase ?? Phases.Pending;
            parts.Add(new Markup($"[bold]redis {Markup.Escape(resource.Key)}[/]  phase [{PhaseColour(phase)}]{Markup.Escape(phase)}[/]"));
            parts.Add(NodeTableView(resource));
            foreach (var condition in resource.Status?.Conditions.Where(condition => condition.Status != "True") ?? [])
            {
                parts.Add(new Markup($"  [grey]{Markup.Escape(condition.Type)} {Markup.Escape(condition.Status)}: {Markup.Escape(condition.Reason)}, {Markup.Escape(condition.Message)}[/]"));
            }
        }
        return new Rows(parts);
    }

    private static Table NodeTableView(RedisResource resource)
    {
        var source = NodeTable.BuildProgress(resource);
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in source.Headers)
        {
            table.AddColumn(header);
        }
        var health = source.Headers.Count - 1;
        foreach (var row in source.Rows)
        {
            table.AddRow(row.Select((cell, column) => column == health
                ? new Markup($"[{(NodeHealth.IsHealthy(cell) ? "green" : "yellow")}]{Markup.Escape(cell)}[/]")
                : (IRenderable)new Text(cell)));
        }
        if (source.Rows.Count == 0)
        {
            table.AddRow(new Text("(no nodes yet)"));
        }
        return table;
    }

    private static string PhaseColour(string phase) => phase switch
    {
        Phases.Ready => "green",
        Phases.Failed => "red",
        _ => "yellow",
    };
}
