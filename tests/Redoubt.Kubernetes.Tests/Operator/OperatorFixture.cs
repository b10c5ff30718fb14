using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Redoubt.Core.Control;
using Redoubt.Kubernetes.Tests.Fakes;
using Redoubt.Metrics;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Operator;
using Redoubt.Web;

namespace Redoubt.Kubernetes.Tests.Operator;

/// <summary>
/// An operator instance running against the in-process API test server, and the helpers its tests share; with
/// <see cref="ServeAsync"/>, its web listener too, on a free loopback port, with the routes `redoubt operator` maps.
/// </summary>
internal sealed class RunningOperator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly OperatorHost _host;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>The log of the operator the current test started last, for failure messages.</summary>
    public static AsyncLocal<RecordingLogger?> Current { get; } = new();

    public RecordingLogger Log { get; } = new();

    public RunningOperator(FakeKubernetesApi api, OperatorOptions options)
    {
        Reconcilers = new ScriptedReconcilerFactory();
        _loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(Log));
        _host = new OperatorHost(api.Client(), ownsClient: true, options, Reconcilers, _loggerFactory, TimeProvider.System);
        Current.Value = Log;
        Run = Task.Run(() => _host.RunAsync(_stop.Token));
    }

    public ScriptedReconcilerFactory Reconcilers { get; }

    /// <summary>The web listener, once <see cref="ServeAsync"/> started it.</summary>
    public WebListener? Web { get; private set; }

    /// <summary>
    /// An operator with <see cref="OperatorOptions.Dashboard"/> on and its listener serving metrics and, with
    /// <paramref name="token"/>, the dashboard; without one, metrics only, as when no token file is given.
    /// </summary>
    public static async Task<RunningOperator> ServeAsync(FakeKubernetesApi api, OperatorOptions options, WebToken? token)
    {
        var telemetry = new PrometheusTelemetry();
        var running = new RunningOperator(api, options with { Telemetry = telemetry, Dashboard = token is not null });
        running.Web = await WebListener.StartAsync(
            new WebAddress(new IPEndPoint(IPAddress.Loopback, 0), Explicit: true), token ?? WebToken.Ephemeral(),
            logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(running.Log),
            (app, served) => WebRoutes.MapOperator(app, served, telemetry.Registry, running._host.Dashboard), CancellationToken.None);
        return running;
    }

    public Task Run { get; }

    public static OperatorOptions Options(string identity = "redoubt-a", bool leaderElection = false) => new()
    {
        Identity = identity,
        LeaderElection = leaderElection,
        LeaseNamespace = "redoubt-system",
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1.5),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
        Workers = 2,
        ResyncPeriod = TimeSpan.FromMinutes(10),
        ShutdownGrace = TimeSpan.FromSeconds(2),
        Backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)),
        Manifests = new ManifestOptions(),
    };

    /// <summary>Graceful shutdown, as on SIGTERM.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(15));
    }

    public async ValueTask DisposeAsync()
    {
        if (Web is not null)
        {
            // First: open live feeds end with it, and no request reaches an operator that stops.
            await Web.StopAsync(CancellationToken.None);
            await Web.DisposeAsync();
        }

        if (!Run.IsCompleted)
        {
            await StopAsync();
        }

        await _host.DisposeAsync();
        _loggerFactory.Dispose();
        _stop.Dispose();
    }
}

internal static class Cluster
{
    public static JsonObject CreateRedis(FakeKubernetesApi api, string name = "example", string ns = "default", string spec = "{}", Dictionary<string, string>? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (annotations is not null)
        {
            metadata["annotations"] = new JsonObject([.. annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]);
        }

        return api.Store.Create("redises", ns, new JsonObject
        {
            ["apiVersion"] = "apps.cozystack.io/v1alpha1",
            ["kind"] = "Redis",
            ["metadata"] = metadata,
            ["spec"] = JsonNode.Parse(spec),
        });
    }

    /// <summary>A Redis pod as the StatefulSet controller and kubelet would leave it: running, with an IP.</summary>
    public static JsonObject CreateRedisPod(FakeKubernetesApi api, string resource, int ordinal, string ip, string ns = "default") =>
        api.Store.Create("pods", ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"rfr-redis-{resource}-{ordinal}",
                ["labels"] = new JsonObject
                {
                    [Labels.ManagedBy] = Labels.ManagedByValue,
                    [Labels.Resource] = resource,
                    [Labels.Instance] = $"redis-{resource}",
                    [Labels.Name] = $"redis-{resource}",
                    [Labels.Component] = Labels.ComponentRedis,
                    [Labels.PartOf] = Labels.PartOfValue,
                },
            },
            ["spec"] = new JsonObject { ["nodeName"] = "node-1" },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = ip,
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = "redis",
                    ["ready"] = true,
                    ["restartCount"] = 0,
                    ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-01-01T00:00:00Z" } },
                }),
            },
        });

    /// <summary>
    /// A correctness deadline, not a speed check: the in-process operator needs a second or two, but on a two-core
    /// machine loaded far past its cores (load average 40) it took 7 s just to sync its caches, and 20 s ran out.
    /// </summary>
    public static Task EventuallyAsync(Func<bool> condition, string what, double seconds = 60) =>
        EventuallyAsync(() => Task.FromResult(condition()), () => what, seconds);

    /// <summary>The same, for a condition that asks over the network; <paramref name="what"/> is read when it fails (it may name the last answer).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> what, double seconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"within {seconds} s: {what()}\noperator log:\n{string.Join("\n", RunningOperator.Current.Value?.Lines.TakeLast(40) ?? [])}");
            }

            await Task.Delay(25);
        }
    }

    public static string? Label(JsonObject? item, string key) => item?["metadata"]?["labels"]?[key]?.GetValue<string>();
}
