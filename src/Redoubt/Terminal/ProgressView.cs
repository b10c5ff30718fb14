using Redoubt.Model;
using Redoubt.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Redoubt.Terminal;

/// <summary>
/// What `up` shows while the nodes converge: on a terminal a view redrawn in place (<see cref="Build"/>); in a pipe,
/// lines printed when they change (<see cref="Lines"/>). Warnings (a node that keeps crashing, a failover) show in both.
/// </summary>
public static class ProgressView
{
    /// <summary>The live view: per resource its phase, every node and Sentinel, the conditions not yet met; then the warnings.</summary>
    public static IRenderable Build(IReadOnlyList<RedisResource> resources, IReadOnlyList<ResourceEvent> warnings, TimeZoneInfo zone)
    {
        var parts = new List<IRenderable>();
        foreach (var resource in resources)
        {
            var phase = resource.Status?.Phase ?? Phases.Pending;
            parts.Add(new Markup($"[bold]redis {Markup.Escape(resource.Key)}[/]  phase [{PhaseColour(phase)}]{Markup.Escape(phase)}[/]"));
            parts.Add(NodeTableView(resource));
            foreach (var condition in UnmetConditions(resource))
            {
                parts.Add(new Markup($"  [grey]{Markup.Escape(condition.Type)} {Markup.Escape(condition.Status)}: {Markup.Escape(condition.Reason)}, {Markup.Escape(condition.Message)}[/]"));
            }
        }
        foreach (var warning in warnings)
        {
            parts.Add(new Markup($"[yellow]{Markup.Escape(WarningLine(warning, zone))}[/]"));
        }
        return new Rows(parts);
    }

    /// <summary>
    /// The lines that describe a resource's progress, the phase last so that "phase Ready" closes the story; a line
    /// is printed again only when it changes.
    /// </summary>
    public static IEnumerable<string> Lines(RedisResource resource)
    {
        var key = $"redis {resource.Key}";
        foreach (var row in NodeTable.BuildProgress(resource).Rows)
        {
            yield return $"{key}: {string.Join(' ', row)}";
        }
        foreach (var condition in UnmetConditions(resource))
        {
            yield return $"{key}: {condition.Type} {condition.Status}: {condition.Reason}, {condition.Message}";
        }
        yield return $"{key}: phase {resource.Status?.Phase ?? Phases.Pending}";
    }

    public static string WarningLine(ResourceEvent warning, TimeZoneInfo zone) =>
        $"warning {EventTable.TimeText(warning.Time, zone)} redis {warning.Resource}: {warning.Reason}: {warning.Message}";

    private static IEnumerable<StatusCondition> UnmetConditions(RedisResource resource) =>
        resource.Status?.Conditions.Where(condition => condition.Status != "True") ?? [];

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
