using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Redoubt.Metrics;

/// <summary>
/// GET /metrics: the Prometheus text format, written by prometheus-net from the control plane's own registry. Served
/// without the web token: metrics carry no secret (no password, no token, no key), and Prometheus scrapes them.
/// </summary>
public static class MetricsRoute
{
    public const string Path = "/metrics";

    public static void Map(IEndpointRouteBuilder app, CollectorRegistry registry) =>
        app.MapGet(Path, async (HttpContext context) =>
        {
            context.Response.ContentType = PrometheusConstants.TextContentTypeWithVersionAndEncoding;
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
}
