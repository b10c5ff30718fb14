using Redoubt.Core.ControlPlane;
using Redoubt.Model;
using Redoubt.Output;
using Spectre.Console;

namespace Redoubt.Terminal;

/// <summary>
/// Shows the nodes of freshly applied resources coming up until every resource is Ready or the patience runs out,
/// then keeps showing the warnings that follow. On a terminal it is a view redrawn in place four times a second; in
/// a pipe or a log it prints a line whenever a node, a phase or a warning is new.
/// </summary>
public sealed class StartupProgress
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(500);
    // Warnings stay in the live view this long (at most WarningsShown of them), then the view is the nodes again.
    private static readonly TimeSpan WarningShownFor = TimeSpan.FromSeconds(30);
    private const int WarningsShown = 3;

    private readonly IControlPlane _controlPlane;
    private readonly IReadOnlyList<(string Namespace, string Name)> _resources;
    private readonly TerminalLog _logs;
    private readonly TimeProvider _time;
    private readonly EventFeed _warnings;
    private readonly List<ResourceEvent> _recentWarnings = [];

    public StartupProgress(IControlPlane controlPlane, IReadOnlyList<(string Namespace, string Name)> resources, TerminalLog logs, TimeProvider time)
    {
        _controlPlane = controlPlane;
        _resources = resources;
        _logs = logs;
        _time = time;
        _warnings = EventFeed.WarningsSince(time.GetUtcNow());
    }

    public static bool IsInteractive() =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities is { Interactive: true, Ansi: true };

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

    /// <summary>Prints each new warning as one line until cancelled: what `up` does once the resources are Ready.</summary>
    public async Task FollowWarningsAsync(CancellationToken cancellationToken)
    {
        var interactive = IsInteractive();
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var warning in _warnings.Next(ResourceEvent.Of(await FetchAsync(cancellationToken))))
            {
                var line = ProgressView.WarningLine(warning, TimeZoneInfo.Local);
                if (interactive)
                {
                    AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(line)}[/]");
                }
                else
                {
                    ConsoleText.WriteLine(line);
                }
            }
            await Task.Delay(FollowInterval, _time, cancellationToken);
        }
    }

    private async Task ShowLiveAsync(CancellationToken cancellationToken)
    {
        // Log lines (with --verbose) written while the display redraws would tear it; they are queued and written right after.
        using var held = _logs.Hold();
        var resources = await FetchAsync(cancellationToken);
        await AnsiConsole.Live(ProgressView.Build(resources, RecentWarnings(resources), TimeZoneInfo.Local)).AutoClear(false).StartAsync(async context =>
        {
            while (!AllReady(resources))
            {
                await Task.Delay(RefreshInterval, _time, cancellationToken);
                resources = await FetchAsync(cancellationToken);
                context.UpdateTarget(ProgressView.Build(resources, RecentWarnings(resources), TimeZoneInfo.Local));
            }
        });
    }

    private IReadOnlyList<ResourceEvent> RecentWarnings(IReadOnlyList<RedisResource> resources)
    {
        _recentWarnings.AddRange(_warnings.Next(ResourceEvent.Of(resources)));
        var shownSince = _time.GetUtcNow() - WarningShownFor;
        _recentWarnings.RemoveAll(warning => warning.Time < shownSince);
        return [.. _recentWarnings.TakeLast(WarningsShown)];
    }

    private async Task PrintChangesAsync(CancellationToken cancellationToken)
    {
        var previous = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var resources = await FetchAsync(cancellationToken);
            var current = resources.SelectMany(ProgressView.Lines).ToList();
            foreach (var line in current.Where(line => !previous.Contains(line)))
            {
                ConsoleText.WriteLine(line);
            }
            foreach (var warning in _warnings.Next(ResourceEvent.Of(resources)))
            {
                ConsoleText.WriteLine(ProgressView.WarningLine(warning, TimeZoneInfo.Local));
            }
            previous = [.. current];
            if (AllReady(resources))
            {
                return;
            }
            await Task.Delay(RefreshInterval, _time, cancellationToken);
        }
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
}
