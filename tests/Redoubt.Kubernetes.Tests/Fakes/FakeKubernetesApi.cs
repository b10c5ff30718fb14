using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Redoubt.Kubernetes.Tests.Fakes;

/// <summary>
/// An in-process test double of the Kubernetes REST API (Kestrel on 127.0.0.1, a free port): list, watch, get,
/// create, replace, patch and delete for the kinds the operator touches, status subresources, Leases and Events.
/// No cluster can run where these tests run; this stands in for the API server only, never for Redis.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private static readonly Dictionary<string, (string Kind, string ApiVersion)> Kinds = new()
    {
        ["pods"] = ("Pod", "v1"),
        ["services"] = ("Service", "v1"),
        ["configmaps"] = ("ConfigMap", "v1"),
        ["secrets"] = ("Secret", "v1"),
        ["nodes"] = ("Node", "v1"),
        ["statefulsets"] = ("StatefulSet", "apps/v1"),
        ["deployments"] = ("Deployment", "apps/v1"),
        ["poddisruptionbudgets"] = ("PodDisruptionBudget", "policy/v1"),
        ["leases"] = ("Lease", "coordination.k8s.io/v1"),
        ["events"] = ("Event", "events.k8s.io/v1"),
        ["redises"] = ("Redis", "apps.cozystack.io/v1alpha1"),
    };

    private readonly WebApplication _app;

    private FakeKubernetesApi(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public ObjectStore Store { get; } = new();

    /// <summary>Every request: method, path and query, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        var app = builder.Build();
        FakeKubernetesApi? api = null;
        app.Run(context => api!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api = new FakeKubernetesApi(app, address);
        return api;
    }

    /// <summary>Kinds (plural, e.g. "jobs") every request for which is refused with 403, as RBAC without a grant refuses them.</summary>
    public ConcurrentDictionary<string, bool> Forbidden { get; } = new();

    public IKubernetes Client() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Url });

    public async ValueTask DisposeAsync()
    {
        // Watches still open are cut rather than waited for: the operator under test is already stopped.
        using var quickly = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await _app.StopAsync(quickly.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        try
        {
            if (Discovery(request.Path.Value) is { } discovery)
            {
                await WriteAsync(context, 200, discovery);
                return;
            }

            var route = Route.Parse(request.Path.Value ?? "");
            if (route is null)
            {
                throw new ObjectStore.ApiException(404, "NotFound", $"no such path {request.Path}");
            }

            if (Forbidden.ContainsKey(route.Resource))
            {
                throw new ObjectStore.ApiException(403, "Forbidden", $"{route.Resource} is forbidden: the user cannot {request.Method} it");
            }

            if (request.Method == "GET" && route.Name is null)
            {
                if (request.Query["watch"] == "true" || request.Query["watch"] == "1")
                {
                    await WatchAsync(context, route);
                    return;
                }

                var items = Store.List(route.Resource, route.Namespace, request.Query["labelSelector"]);
                var (kind, apiVersion) = Kinds.GetValueOrDefault(route.Resource, ("Unknown", "v1"));
                await WriteAsync(context, 200, new JsonObject
                {
                    ["apiVersion"] = apiVersion,
                    ["kind"] = kind + "List",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = Store.CurrentVersion },
                    ["items"] = new JsonArray([.. items]),
                });
                return;
            }

            var ns = route.Namespace ?? "";
            var status = route.Subresource == "status";
            switch (request.Method)
            {
                case "GET":
                    await WriteAsync(context, 200, Store.Get(route.Resource, ns, route.Name!) ?? throw new ObjectStore.ApiException(404, "NotFound", $"{route.Resource} \"{route.Name}\" not found"));
                    return;
                case "POST":
                    await WriteAsync(context, 201, Store.Create(route.Resource, ns, WithKind(route.Resource, await BodyAsync(request))));
                    return;
                case "PUT":
                    await WriteAsync(context, 200, Store.Replace(route.Resource, ns, route.Name!, WithKind(route.Resource, await BodyAsync(request)), status));
                    return;
                case "PATCH":
                    var apply = request.ContentType?.StartsWith("application/apply-patch", StringComparison.Ordinal) == true;
                    await WriteAsync(context, 200, Store.Patch(route.Resource, ns, route.Name!, WithKind(route.Resource, await BodyAsync(request)), status, apply));
                    return;
                case "DELETE":
                    var deleted = Store.Delete(route.Resource, ns, route.Name!);
                    var stillThere = Store.Get(route.Resource, ns, route.Name!) is not null;
                    // As the API server does: the object when deletion is graceful or held by finalizers, else a Status.
                    await WriteAsync(context, 200, stillThere || route.Resource is "pods" or "redises" ? deleted : new JsonObject
                    {
                        ["kind"] = "Status",
                        ["apiVersion"] = "v1",
                        ["status"] = "Success",
                        ["details"] = new JsonObject { ["name"] = route.Name, ["kind"] = route.Resource, ["uid"] = deleted["metadata"]?["uid"]?.DeepClone() },
                    });
                    return;
                default:
                    throw new ObjectStore.ApiException(405, "MethodNotAllowed", request.Method);
            }
        }
        catch (Exception e) when (e is not ObjectStore.ApiException && !context.Response.HasStarted)
        {
            // A bug in the test double must show up as such, not as a mysterious client error.
            await WriteAsync(context, 500, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = e.ToString(), ["reason"] = "InternalError", ["code"] = 500 });
        }
        catch (ObjectStore.ApiException e)
        {
            await WriteAsync(context, e.Code, new JsonObject
            {
                ["kind"] = "Status",
                ["apiVersion"] = "v1",
                ["status"] = "Failure",
                ["message"] = e.Message,
                ["reason"] = e.Reason,
                ["code"] = e.Code,
            });
        }
    }

    private async Task WatchAsync(HttpContext context, Route route)
    {
        var query = context.Request.Query;
        var after = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : long.Parse(Store.CurrentVersion, CultureInfo.InvariantCulture);
        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0 ? TimeSpan.FromSeconds(t) : TimeSpan.FromMinutes(5);
        string? selector = query["labelSelector"];
        var (backlog, live, unsubscribe) = Store.Watch(route.Resource, after);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        stop.CancelAfter(timeout);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync();
        try
        {
            var sent = after;
            foreach (var e in backlog)
            {
                sent = await SendAsync(context, route, selector, e, sent, stop.Token);
            }

            await foreach (var e in live.ReadAllAsync(stop.Token))
            {
                sent = await SendAsync(context, route, selector, e, sent, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            unsubscribe();
        }
    }

    private static async Task<long> SendAsync(HttpContext context, Route route, string? selector, ObjectStore.WatchEvent e, long sent, CancellationToken ct)
    {
        if (e.Version <= sent || (route.Namespace is not null && e.Namespace != route.Namespace) || !ObjectStore.Selects(selector, e.Item))
        {
            return Math.Max(sent, e.Version);
        }

        var line = new JsonObject { ["type"] = e.Type, ["object"] = e.Item.DeepClone() }.ToJsonString() + "\n";
        await context.Response.WriteAsync(line, ct);
        await context.Response.Body.FlushAsync(ct);
        return e.Version;
    }

    private static JsonObject WithKind(string resource, JsonObject item)
    {
        if (Kinds.TryGetValue(resource, out var kind))
        {
            item["kind"] ??= kind.Kind;
            item["apiVersion"] ??= kind.ApiVersion;
        }

        return item;
    }

    private static async Task<JsonObject> BodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        return JsonNode.Parse(text) as JsonObject ?? throw new ObjectStore.ApiException(400, "BadRequest", "the body is not a JSON object");
    }

    private static async Task WriteAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>The discovery answers the operator reads when a term starts: a current server, policy/v1 served.</summary>
    private static JsonObject? Discovery(string? path) => path?.TrimEnd('/') switch
    {
        "/version" => new JsonObject { ["major"] = "1", ["minor"] = "33", ["gitVersion"] = "v1.33.0" },
        "/apis/policy" => new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = "policy",
            ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = "policy/v1", ["version"] = "v1" }),
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = "policy/v1", ["version"] = "v1" },
        },
        _ => null,
    };

    private sealed record Route(string Resource, string? Namespace, string? Name, string? Subresource)
    {
        /// <summary>/api/v1/[namespaces/NS/]PLURAL[/NAME[/SUB]] and /apis/GROUP/VERSION/[namespaces/NS/]PLURAL[/NAME[/SUB]].</summary>
        public static Route? Parse(string path)
        {
            var parts = path.Trim('/').Split('/');
            int rest;
            if (parts.Length >= 3 && parts[0] == "api")
            {
                rest = 2;
            }
            else if (parts.Length >= 4 && parts[0] == "apis")
            {
                rest = 3;
            }
            else
            {
                return null;
            }

            string? ns = null;
            if (parts.Length > rest + 2 && parts[rest] == "namespaces")
            {
                ns = parts[rest + 1];
                rest += 2;
            }

            var tail = parts[rest..];
            return tail.Length switch
            {
                1 => new Route(tail[0], ns, null, null),
                2 => new Route(tail[0], ns, tail[1], null),
                3 => new Route(tail[0], ns, tail[1], tail[2]),
                _ => null,
            };
        }
    }
}
