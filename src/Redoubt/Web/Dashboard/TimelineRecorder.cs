using Redoubt.Core.ControlPlane;

namespace Redoubt.Web.Dashboard;

/// <summary>
/// Keeps the failover timeline while no page is open: every saved status's last failover goes into it, so a page
/// opened later still shows the failovers of before. Reads the control plane on its own time, like a page would.
/// </summary>
internal sealed class TimelineRecorder(IDashboardSource controlPlane, FailoverTimeline timeline)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var subscription = controlPlane.Changes.Subscribe();
        try
        {
            // Inside the try: the operator's list waits for its first sync, which the listener's stop may cut short.
            foreach (var resource in await controlPlane.ListAsync(cancellationToken))
            {
                timeline.Record(resource.Key, resource.Status?.LastFailover);
            }

            while (true)
            {
                var changes = await subscription.ReadAsync(cancellationToken);
                var resources = await controlPlane.ListAsync(cancellationToken);
                var changed = changes.All ? null : changes.Changes.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
                foreach (var resource in resources.Where(r => changed is null || changed.Contains(r.Key)))
                {
                    timeline.Record(resource.Key, resource.Status?.LastFailover);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The listener stops.
        }
    }
}
