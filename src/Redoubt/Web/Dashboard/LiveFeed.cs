using System.Text;
using Microsoft.AspNetCore.Http;
using Redoubt.Core.ControlPlane;

namespace Redoubt.Web.Dashboard;

/// <summary>
/// The page's live feed, as server-sent events: a <c>snapshot</c> of every resource first, then a <c>resource</c> event
/// each time one's status is saved (a <c>removed</c> one when it is deleted), and a comment now and then so proxies
/// and the browser keep the connection. Reading the control plane happens here, on the request's own time, so the
/// reconciler only ever rings the feed's doorbell.
/// </summary>
internal sealed class LiveFeed(IDashboardSource controlPlane, FailoverTimeline timeline, TimeProvider time, CancellationToken listenerStopping)
{
    /// <summary>How long the stream may stay silent before a keep-alive comment.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    public async Task StreamAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, listenerStopping);
        var stopping = ending.Token;

        // Subscribed before the snapshot is read: a change saved in between is sent again rather than lost.
        using var subscription = controlPlane.Changes.Subscribe();
        try
        {
            await StreamChangesAsync(response, subscription, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The page went away, or the listener stops.
        }
    }

    private async Task StreamChangesAsync(HttpResponse response, StatusSubscription subscription, CancellationToken stopping)
    {
        await SendSnapshotAsync(response, changedAt: null, stopping);
        while (!stopping.IsCancellationRequested)
        {
            StatusChanges changes;
            using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                quiet.CancelAfter(KeepAlive);
                try
                {
                    changes = await subscription.ReadAsync(quiet.Token);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    await WriteAsync(response, ": keep-alive\n\n", stopping);
                    continue;
                }
            }

            if (changes.All)
            {
                await SendSnapshotAsync(response, changes.Changes[0].Since, stopping);
                continue;
            }

            foreach (var change in changes.Changes)
            {
                var slash = change.Key.IndexOf('/', StringComparison.Ordinal);
                var resource = await controlPlane.GetAsync(change.Key[..slash], change.Key[(slash + 1)..], stopping);
                if (resource is null)
                {
                    timeline.Forget(change.Key);
                    await SendAsync(response, "removed", DashboardJson.Write(new { key = change.Key }), stopping);
                }
                else
                {
                    var view = DashboardView.Of(resource, timeline) with { ChangedAt = change.Since };
                    await SendAsync(response, "resource", DashboardJson.Write(view), stopping);
                }
            }
        }
    }

    public async Task<IReadOnlyList<DashboardView>> ViewsAsync(CancellationToken cancellationToken) =>
        [.. (await controlPlane.ListAsync(cancellationToken)).Select(r => DashboardView.Of(r, timeline))];

    private async Task SendSnapshotAsync(HttpResponse response, DateTimeOffset? changedAt, CancellationToken cancellationToken)
    {
        var views = await ViewsAsync(cancellationToken);
        var body = DashboardJson.Write(new { resources = views, changedAt, serverTime = time.GetUtcNow() });
        await SendAsync(response, "snapshot", body, cancellationToken);
    }

    private static Task SendAsync(HttpResponse response, string name, string json, CancellationToken cancellationToken) =>
        // JSON written by System.Text.Json has no raw newline, so one data line carries it.
        WriteAsync(response, $"event: {name}\ndata: {json}\n\n", cancellationToken);

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
