using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Redoubt.Core;
using Redoubt.Core.ControlPlane;

namespace Redoubt.Web.Dashboard;

/// <summary>
/// The dashboard's routes: the page and its assets, the resources as JSON, the live feed, and the two actions
/// (switchover, rolling restart). Every one needs the token (<see cref="DashboardAccess"/>).
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>How long a switchover asked from the page may take before the page is told it did not finish.</summary>
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(60);

    /// <param name="tokenHelp">Where the token is, for the answer to a request without it (<see cref="DashboardAccess.Refusal"/>).</param>
    public static void Map(WebApplication app, WebToken token, IDashboardSource controlPlane, string tokenHelp)
    {
        var timeline = new FailoverTimeline();
        // Live feeds end when the listener stops: Kestrel would otherwise wait for every open page before it stops.
        var feed = new LiveFeed(controlPlane, timeline, TimeProvider.System, app.Lifetime.ApplicationStopping);
        _ = new TimelineRecorder(controlPlane, timeline).RunAsync(app.Lifetime.ApplicationStopping);
        var guarded = app.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            var verdict = DashboardAccess.Judge(token, context.HttpContext.Request);
            return verdict == AccessVerdict.Allowed ? await next(context) : DashboardAccess.Refusal(verdict, tokenHelp);
        });

        app.MapGet("/", (HttpContext context) =>
        {
            if (context.Request.Query[DashboardAccess.TokenQuery] is [{ } offered])
            {
                if (!token.Matches(offered))
                {
                    return DashboardAccess.Refusal(AccessVerdict.NoToken, tokenHelp);
                }

                // The token leaves the address bar (and the history) at once; the cookie carries it from now on.
                context.Response.Cookies.Append(DashboardAccess.CookieName, offered, DashboardAccess.CookieOptions(context.Request.IsHttps));
                return Results.Redirect("/", permanent: false);
            }

            var verdict = DashboardAccess.Judge(token, context.Request);
            return verdict == AccessVerdict.Allowed ? AssetResult(DashboardAssets.Page) : DashboardAccess.Refusal(verdict, tokenHelp);
        });

        guarded.MapGet("/assets/{file}", (string file) => DashboardAssets.Find(file) is { } asset ? AssetResult(asset) : Results.NotFound());
        guarded.MapGet("/api/resources", async (CancellationToken cancellationToken) =>
            Results.Json(await feed.ViewsAsync(cancellationToken), DashboardJson.Options));
        guarded.MapGet("/api/live", (HttpContext context) => feed.StreamAsync(context));

        guarded.MapPost("/api/resources/{namespace}/{name}/switchover", async (string @namespace, string name, CancellationToken cancellationToken) =>
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(ActionTimeout);
            try
            {
                var result = await controlPlane.FailoverAsync(@namespace, name, target: null, bounded.Token);
                return Results.Json(result, DashboardJson.Options, statusCode: result.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
            }
            catch (NotLeaderException e)
            {
                // Another replica of the operator acts; this one may be asked again once it leads.
                return Results.Json(new { succeeded = false, message = e.Message }, DashboardJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (RedoubtException e)
            {
                return Results.Json(new { succeeded = false, message = e.Message }, DashboardJson.Options, statusCode: StatusCodes.Status409Conflict);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Results.Json(new { succeeded = false, message = $"the switchover did not finish within {ActionTimeout.TotalSeconds:F0} s; watch the events" },
                    DashboardJson.Options, statusCode: StatusCodes.Status504GatewayTimeout);
            }
        });

        guarded.MapPost("/api/resources/{namespace}/{name}/restart", async (string @namespace, string name, CancellationToken cancellationToken) =>
        {
            try
            {
                return await controlPlane.RestartAsync(@namespace, name, cancellationToken) is { } mark
                    ? Results.Json(new { requested = mark }, DashboardJson.Options, statusCode: StatusCodes.Status202Accepted)
                    : Results.Json(new { message = $"no Redis named {name} in namespace {@namespace}" }, DashboardJson.Options, statusCode: StatusCodes.Status404NotFound);
            }
            catch (RedoubtException e)
            {
                // The operator's request goes through the API server, which may refuse it.
                return Results.Json(new { message = e.Message }, DashboardJson.Options, statusCode: StatusCodes.Status409Conflict);
            }
        });
    }

    private static IResult AssetResult(Asset asset) => Results.Bytes(asset.Content, asset.ContentType);
}
