using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Redoubt.Kubernetes.Tests;
using Redoubt.Platforms.Kubernetes;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>
/// One operator test: deploy/'s CRD and RBAC installed, a namespace of its own, and operators started as the
/// ServiceAccount. Waits fail with the operators' logs. Disposing deletes the namespace and stops the operators
/// (SIGTERM, so the Lease is free for the next test).
/// </summary>
internal sealed class OperatorScenario : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly TestCluster _cluster;
    private readonly List<OperatorProcess> _operators = [];
    private readonly CancellationToken _ct;

    private OperatorScenario(TestCluster cluster, string ns, string operatorKubeconfig, CancellationToken ct)
    {
        _cluster = cluster;
        Namespace = ns;
        OperatorKubeconfig = operatorKubeconfig;
        Admin = cluster.AdminClient();
        _ct = ct;
    }

    public string Namespace { get; }
    public string OperatorKubeconfig { get; }
    public IKubernetes Admin { get; }
    public IReadOnlyList<OperatorProcess> Operators => _operators;

    public static async Task<OperatorScenario> StartAsync(TestCluster cluster, string prefix, CancellationToken ct, bool startOperator = true)
    {
        var kubeconfig = await OperatorInstall.InstallAsync(cluster, ct);
        var ns = await cluster.CreateNamespaceAsync(prefix, ct);
        var scenario = new OperatorScenario(cluster, ns, kubeconfig, ct);
        if (startOperator)
        {
            scenario.StartOperator("a");
        }

        return scenario;
    }

    /// <param name="options">More of `redoubt operator`'s options, e.g. <c>--dashboard-token-file</c>.</param>
    /// <param name="kubeconfig">The operator's kubeconfig; null: <see cref="OperatorKubeconfig"/>, for the cluster's first API server.</param>
    public OperatorProcess StartOperator(string identity, bool kubeconfigFromEnvironment = true, IEnumerable<string>? options = null, string? kubeconfig = null)
    {
        var started = OperatorProcess.Start(_cluster, kubeconfig ?? OperatorKubeconfig, $"{Namespace}-{identity}", kubeconfigFromEnvironment, options);
        _operators.Add(started);
        return started;
    }

    /// <summary>`kubectl apply --server-side` of <paramref name="yaml"/> into the test's namespace, as the admin.</summary>
    public async Task ApplyAsync(string yaml, string fieldManager = "kubectl")
    {
        var file = Path.Combine(_cluster.Directory, $"{Namespace}-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml, _ct);
        var result = await Kubectl.RunAsync(_cluster.AdminKubeconfig,
            ["apply", "--server-side", $"--field-manager={fieldManager}", "-n", Namespace, "-f", file], _ct);
        Assert.True(result.ExitCode == 0, $"kubectl apply --server-side failed: {result}");
    }

    public Task<Kubectl.Result> KubectlAsync(params string[] arguments) =>
        Kubectl.RunAsync(_cluster.AdminKubeconfig, ["-n", Namespace, .. arguments], _ct);

    public async Task<JsonNode?> GetRedisAsync(string name)
    {
        try
        {
            return await Admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonNode>(RedisCrd.Group, RedisCrd.Version, Namespace, RedisCrd.Plural, name, cancellationToken: _ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A namespaced object of the test as the API server holds it; null when absent.</summary>
    public async Task<JsonNode?> GetAsync(string apiVersion, string kind, string name, string? ns = null)
    {
        ns ??= Namespace;
        try
        {
            object item = kind switch
            {
                // The custom-object calls build /apis/GROUP/VERSION/...; the core group lives under /api, so typed calls.
                "Secret" => await Admin.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: _ct),
                "ConfigMap" => await Admin.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: _ct),
                "Service" => await Admin.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: _ct),
                _ => await Admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonNode>(
                    apiVersion.Split('/')[0], apiVersion.Split('/')[1], ns, Plural(kind), name, cancellationToken: _ct),
            };
            return item as JsonNode ?? JsonNode.Parse(KubernetesJson.Serialize(item));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static string Plural(string kind) => kind switch
    {
        "StatefulSet" => "statefulsets",
        "Deployment" => "deployments",
        "PodDisruptionBudget" => "poddisruptionbudgets",
        "Lease" => "leases",
        _ => throw new NotSupportedException($"no plural known for {kind}"),
    };

    /// <summary>The Redis once the operator's status says it has seen generation <paramref name="generation"/> (or later).</summary>
    public Task<JsonNode> ObservedAsync(string name, long generation) =>
        UntilAsync($"status.observedGeneration {generation} on Redis {name}", async () =>
        {
            var redis = await GetRedisAsync(name);
            return redis?["status"]?["observedGeneration"]?.GetValue<long>() >= generation ? redis : null;
        });

    public static JsonNode? Condition(JsonNode? redis, string type) =>
        redis?["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == type);

    public async Task<string?> LeaseHolderAsync()
    {
        var lease = await GetAsync("coordination.k8s.io/v1", "Lease", OperatorInstall.Lease, OperatorInstall.Namespace);
        return lease?["spec"]?["holderIdentity"]?.GetValue<string>() is { Length: > 0 } holder ? holder : null;
    }

    /// <summary>Events about the Redis <paramref name="name"/> in the test's namespace (events.k8s.io/v1).</summary>
    public async Task<List<JsonNode>> EventsAsync(string name)
    {
        var list = await Admin.CustomObjects.ListNamespacedCustomObjectAsync<JsonNode>("events.k8s.io", "v1", Namespace, "events", cancellationToken: _ct);
        return [.. list["items"]!.AsArray().OfType<JsonNode>().Where(e => e["regarding"]?["name"]?.GetValue<string>() == name)];
    }

    /// <summary>How many lines of the operators' logs contain <paramref name="text"/>.</summary>
    public int LogLines(string text) =>
        _operators.Sum(o => File.Exists(o.LogPath) ? File.ReadLines(o.LogPath).Count(line => line.Contains(text, StringComparison.Ordinal)) : 0);

    /// <summary>Waits for <paramref name="attempt"/> to give a value; the timeout's message carries the operators' logs.</summary>
    public Task<T> UntilAsync<T>(string what, Func<Task<T?>> attempt, TimeSpan? deadline = null)
        where T : class =>
        Poll.UntilAsync(what, async () =>
        {
            if (_operators.FirstOrDefault(o => o.Crashed) is { } crashed)
            {
                throw new InvalidOperationException($"operator {crashed.Identity} exited while waiting for {what}:\n{OperatorLogs()}");
            }

            return await attempt();
        }, deadline ?? Deadline, _ct, OperatorLogs);

    public string OperatorLogs() =>
        string.Join("\n", _operators.Select(o => $"--- {o.LogPath}{(o.HasExited ? " (exited)" : "")}\n{o.LogTail()}"));

    /// <summary>What `redoubt render` prints for <paramref name="yaml"/>, one JSON object per Kubernetes object.</summary>
    public static async Task<List<JsonNode>> RenderAsync(string yaml)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await KubernetesCommands.RenderTextAsync(yaml, "test.yaml", new ManifestOptions(), output, error, CancellationToken.None);
        Assert.True(exit == 0, $"redoubt render failed: {error}");
        return [.. YamlDocuments.Read(output.ToString()).OfType<JsonNode>()];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Admin.CoreV1.DeleteNamespaceAsync(Namespace, cancellationToken: CancellationToken.None);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            // Left for the cluster's end (or the API server is down in a failed test); no later test looks at it.
        }

        foreach (var running in _operators)
        {
            await running.StopAsync();
        }

        Admin.Dispose();
    }
}
