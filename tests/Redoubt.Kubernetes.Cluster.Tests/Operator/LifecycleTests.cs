using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;

namespace Redoubt.Kubernetes.Cluster.Tests.Operator;

/// <summary>A Redis's life on a real API server with the operator as its ServiceAccount: status, updates, pause, failures, deletion.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LifecycleTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private readonly TestCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task StatusAndObservedGenerationFollowTheSpecThroughTheStatusSubresource()
    {
        using var ct = new CancellationTokenSource(Deadline);
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "status", ct.Token);
        await scenario.ApplyAsync(RedisYaml.Of("cart", scenario.Namespace, "replicas: 2"));

        // With the status subresource on, a write to the object itself cannot set status: a status proves the subresource.
        var first = await scenario.ObservedAsync("cart", 1);
        Assert.Equal(1, first["metadata"]!["generation"]!.GetValue<long>());
        Assert.False(string.IsNullOrEmpty(first["status"]!["phase"]?.GetValue<string>()), $"no phase in {first["status"]}");
        Assert.Equal("True", OperatorScenario.Condition(first, "Reconciled")?["status"]?.GetValue<string>());
        Assert.Equal("True", OperatorScenario.Condition(first, "SpecValid")?["status"]?.GetValue<string>());
        // Clients that take one address use the master Service; the CRD's status schema keeps the field.
        Assert.True($"rfrm-redis-cart.{scenario.Namespace}.svc:6379" == first["status"]!["endpoint"]?.GetValue<string>(), $"status.endpoint is not the master Service: {first["status"]}");

        await scenario.ApplyAsync(RedisYaml.Of("cart", scenario.Namespace, "replicas: 3"));
        var second = await scenario.ObservedAsync("cart", 2);
        Assert.Equal(2, second["metadata"]!["generation"]!.GetValue<long>());
        var statefulSet = await scenario.UntilAsync("the StatefulSet at 3 replicas", async () =>
            await scenario.GetAsync("apps/v1", "StatefulSet", "rfr-redis-cart") is { } s && s["spec"]!["replicas"]!.GetValue<long>() == 3 ? s : null);
        Assert.Equal(3, statefulSet["spec"]!["replicas"]!.GetValue<long>());
    }

    [Fact]
    public async Task UpdatesLeaveFieldsOfOtherFieldManagersAlone()
    {
        using var ct = new CancellationTokenSource(Deadline);
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "managers", ct.Token);
        await scenario.ApplyAsync(RedisYaml.Of("orders", scenario.Namespace, "replicas: 2"));
        var service = await scenario.UntilAsync("the master Service", () => scenario.GetAsync("v1", "Service", "rfrm-redis-orders"));
        await scenario.UntilAsync("the StatefulSet", () => scenario.GetAsync("apps/v1", "StatefulSet", "rfr-redis-orders"));

        // Another tool adds its own label and annotation, as a field manager of its own (no force: nothing is taken from Redoubt).
        await scenario.ApplyAsync($"""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: rfr-redis-orders
              labels:
                example.com/cost-center: "42"
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: rfrm-redis-orders
              annotations:
                example.com/scraped: "true"
            """, fieldManager: "team-tooling");

        await scenario.ApplyAsync(RedisYaml.Of("orders", scenario.Namespace, "replicas: 3"));
        var statefulSet = await scenario.UntilAsync("the StatefulSet at 3 replicas", async () =>
            await scenario.GetAsync("apps/v1", "StatefulSet", "rfr-redis-orders") is { } s && s["spec"]!["replicas"]!.GetValue<long>() == 3 ? s : null);
        await scenario.ObservedAsync("orders", 2);
        var serviceAfter = (await scenario.GetAsync("v1", "Service", "rfrm-redis-orders"))!;

        Assert.Equal("42", statefulSet["metadata"]!["labels"]!["example.com/cost-center"]?.GetValue<string>());
        Assert.Equal("true", serviceAfter["metadata"]!["annotations"]?["example.com/scraped"]?.GetValue<string>());
        Assert.Equal(service["spec"]!["clusterIP"]!.GetValue<string>(), serviceAfter["spec"]!["clusterIP"]!.GetValue<string>());
        var managers = statefulSet["metadata"]!["managedFields"]!.AsArray().Select(m => m!["manager"]!.GetValue<string>()).ToList();
        Assert.Contains("redoubt", managers);
        Assert.Contains("team-tooling", managers);
    }

    [Fact]
    public async Task PauseAnnotationStopsChangesUntilItIsRemoved()
    {
        using var ct = new CancellationTokenSource(Deadline);
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "pause", ct.Token);
        await scenario.ApplyAsync(RedisYaml.Of("queue", scenario.Namespace, "replicas: 2"));
        await scenario.ObservedAsync("queue", 1);

        var annotated = await scenario.KubectlAsync("annotate", "redis", "queue", "redoubt.io/paused=true");
        Assert.True(annotated.ExitCode == 0, annotated.ToString());
        await scenario.UntilAsync("condition Paused=True", async () =>
            OperatorScenario.Condition(await scenario.GetRedisAsync("queue"), "Paused")?["status"]?.GetValue<string>() == "True" ? "paused" : null);

        // The change is seen (a paused pass runs for it) and nothing follows from it.
        var pausedPasses = scenario.LogLines("[" + scenario.Namespace + "/queue] paused");
        await scenario.ApplyAsync(RedisYaml.Of("queue", scenario.Namespace, "replicas: 3"));
        await scenario.UntilAsync("a paused pass after the change", () =>
            Task.FromResult(scenario.LogLines("[" + scenario.Namespace + "/queue] paused") > pausedPasses ? "seen" : null));
        var whilePaused = (await scenario.GetAsync("apps/v1", "StatefulSet", "rfr-redis-queue"))!;
        Assert.Equal(2, whilePaused["spec"]!["replicas"]!.GetValue<long>());

        var resumed = await scenario.KubectlAsync("annotate", "redis", "queue", "redoubt.io/paused-");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        await scenario.UntilAsync("the StatefulSet at 3 replicas once resumed", async () =>
            await scenario.GetAsync("apps/v1", "StatefulSet", "rfr-redis-queue") is { } s && s["spec"]!["replicas"]!.GetValue<long>() == 3 ? s : null);
        var after = await scenario.ObservedAsync("queue", 2);
        Assert.Null(OperatorScenario.Condition(after, "Paused"));
    }

    [Fact]
    public async Task FailedPassSetsAConditionAndAWarningEventThenRecovers()
    {
        using var ct = new CancellationTokenSource(Deadline);
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "failing", ct.Token);
        // A quota that allows no Service: every pass fails at its first Service, as any refusal by the API server would.
        await scenario.Admin.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "no-services" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["services"] = new("0") } },
        }, scenario.Namespace, cancellationToken: ct.Token);
        await scenario.UntilAsync("the quota to be counted", async () =>
            (await scenario.Admin.CoreV1.ReadNamespacedResourceQuotaAsync("no-services", scenario.Namespace, cancellationToken: ct.Token)).Status?.Hard is { Count: > 0 } ? "counted" : null);

        await scenario.ApplyAsync(RedisYaml.Of("sessions", scenario.Namespace));
        var failed = await scenario.UntilAsync("condition Reconciled=False", async () =>
            OperatorScenario.Condition(await scenario.GetRedisAsync("sessions"), "Reconciled") is { } c && c["status"]!.GetValue<string>() == "False" ? c : null);
        var message = failed["message"]!.GetValue<string>();
        Assert.Contains("services", message, StringComparison.Ordinal);
        Assert.Contains("403", message, StringComparison.Ordinal);
        var warning = await scenario.UntilAsync("a Warning event", async () =>
            (await scenario.EventsAsync("sessions")).FirstOrDefault(e => e["type"]?.GetValue<string>() == "Warning" && e["reason"]?.GetValue<string>() == "PassFailed"));
        Assert.Contains("quota", warning["note"]!.GetValue<string>(), StringComparison.Ordinal);

        await scenario.Admin.CoreV1.DeleteNamespacedResourceQuotaAsync("no-services", scenario.Namespace, cancellationToken: ct.Token);
        // The backoff may have grown to tens of seconds by now; the retry comes without any nudge.
        await scenario.UntilAsync("condition Reconciled=True after the quota is gone", async () =>
            OperatorScenario.Condition(await scenario.GetRedisAsync("sessions"), "Reconciled")?["status"]?.GetValue<string>() == "True" ? "ok" : null,
            TimeSpan.FromMinutes(2));
        Assert.NotNull(await scenario.GetAsync("v1", "Service", "rfrm-redis-sessions"));
    }

    [Fact]
    public async Task ChangedStorageClassIsRefusedByTheOperatorWithWhatToDo()
    {
        using var ct = new CancellationTokenSource(Deadline);
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "storage", ct.Token);
        await scenario.ApplyAsync(RedisYaml.Of("media", scenario.Namespace, "storageClass: fast"));
        await scenario.ObservedAsync("media", 1);

        // No API server before 1.25 can hold this rule in the CRD, so the operator is the one to refuse it.
        await scenario.ApplyAsync(RedisYaml.Of("media", scenario.Namespace, "storageClass: slow"));
        var refused = await scenario.UntilAsync("condition Reconciled=False", async () =>
            OperatorScenario.Condition(await scenario.GetRedisAsync("media"), "Reconciled") is { } c && c["status"]!.GetValue<string>() == "False" ? c : null);
        Assert.Contains("spec.storageClass: is immutable once created", refused["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("set it back to \"fast\"", refused["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var statefulSet = (await scenario.GetAsync("apps/v1", "StatefulSet", "rfr-redis-media"))!;
        Assert.Equal("fast", statefulSet["spec"]!["volumeClaimTemplates"]![0]!["spec"]!["storageClassName"]!.GetValue<string>());

        await scenario.ApplyAsync(RedisYaml.Of("media", scenario.Namespace, "storageClass: fast"));
        await scenario.UntilAsync("condition Reconciled=True once set back", async () =>
            OperatorScenario.Condition(await scenario.GetRedisAsync("media"), "Reconciled")?["status"]?.GetValue<string>() == "True" ? "ok" : null,
            TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task DeleteRunsTheFinalizerRemovesTheObjectsAndKeepsClaimsWhereRetentionIsUnknown()
    {
        using var ct = new CancellationTokenSource(Deadline);
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "delete", ct.Token);
        var yaml = RedisYaml.Of("catalog", scenario.Namespace, "replicas: 2");
        await scenario.ApplyAsync(yaml);
        var rendered = await OperatorScenario.RenderAsync(yaml);
        var server = await ServerApi.DiscoverAsync(scenario.Admin, ct.Token);
        foreach (var item in rendered)
        {
            await scenario.UntilAsync($"{Kind(item)} {Name(item)}", () => scenario.GetAsync(server.Served(item["apiVersion"]!.GetValue<string>()), Kind(item), Name(item)));
        }

        var redis = await scenario.ObservedAsync("catalog", 1);
        Assert.Contains("redoubt.io/cleanup", redis["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        // The StatefulSet controller creates the claims with the pods, even with no node to run them.
        var claims = await scenario.UntilAsync("the data claims", async () =>
            (await scenario.Admin.CoreV1.ListNamespacedPersistentVolumeClaimAsync(scenario.Namespace, cancellationToken: ct.Token)).Items is { Count: 2 } c ? c : null);

        var deleted = await scenario.KubectlAsync("delete", "redis", "catalog", "--wait=false");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        await scenario.UntilAsync("the Redis to be gone", async () => await scenario.GetRedisAsync("catalog") is null ? "gone" : null);

        var left = new List<string>();
        foreach (var item in rendered)
        {
            if (await scenario.GetAsync(server.Served(item["apiVersion"]!.GetValue<string>()), Kind(item), Name(item)) is { } still
                && still["metadata"]?["deletionTimestamp"] is null)
            {
                left.Add($"{Kind(item)} {Name(item)}");
            }
        }

        Assert.True(left.Count == 0, "left after the finalizer ran: " + string.Join(", ", left));
        Assert.Contains(await scenario.EventsAsync("catalog"), e => e["reason"]?.GetValue<string>() == "CleanedUp");
        var claimsAfter = (await scenario.Admin.CoreV1.ListNamespacedPersistentVolumeClaimAsync(scenario.Namespace, cancellationToken: ct.Token)).Items;
        if (server.Minor < 23)
        {
            // No retention policy before 1.23: the claims stay, as deploy/README.md says.
            Assert.Equal(claims.Select(c => c.Metadata.Name).Order(), claimsAfter.Select(c => c.Metadata.Name).Order());
        }
    }

    private static string Kind(JsonNode item) => item["kind"]!.GetValue<string>();

    private static string Name(JsonNode item) => item["metadata"]!["name"]!.GetValue<string>();
}
