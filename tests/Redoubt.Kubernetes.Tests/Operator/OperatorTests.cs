using System.Text;
using System.Text.Json.Nodes;
using Redoubt.Core.Platform;
using Redoubt.Kubernetes.Tests.Fakes;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Operator;

namespace Redoubt.Kubernetes.Tests.Operator;

public sealed class OperatorTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeKubernetesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private JsonObject? Redis(string name = "example") => _api.Store.Get("redises", "default", name);

    private static readonly string[] GeneratedKinds = ["configmaps", "services", "statefulsets", "deployments", "poddisruptionbudgets", "secrets"];

    [Fact]
    public async Task NewResourceGetsFinalizerOwnedObjectsStatusAndEvents()
    {
        var created = Cluster.CreateRedis(_api);
        await using var op = new RunningOperator(_api, RunningOperator.Options());

        await Cluster.EventuallyAsync(() => Redis()?["status"]?["phase"] is not null, "the status is written");
        var redis = Redis()!;
        Assert.Contains(RedisController.Finalizer, redis["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("Provisioning", redis["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(1, redis["status"]!["observedGeneration"]!.GetValue<long>());
        Assert.Contains(_api.Requests, r => r.StartsWith("PATCH /apis/apps.cozystack.io/v1alpha1/namespaces/default/redises/example/status", StringComparison.Ordinal));

        var uid = created["metadata"]!["uid"]!.GetValue<string>();
        var generated = GeneratedKinds.SelectMany(kind => _api.Store.List(kind, "default").Select(item => (kind, item))).ToList();
        Assert.Equal(11, generated.Count);
        foreach (var (kind, item) in generated)
        {
            var owner = Assert.Single(item["metadata"]!["ownerReferences"]!.AsArray())!;
            Assert.True(owner["uid"]!.GetValue<string>() == uid, $"{kind}/{item["metadata"]!["name"]} is not owned by the Redis object");
            Assert.True(owner["controller"]!.GetValue<bool>());
        }

        var secret = _api.Store.Get("secrets", "default", "redis-example-auth")!;
        var password = Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]!["password"]!.GetValue<string>()));
        Assert.Equal(32, password.Length);
        Assert.Contains(_api.Store.List("events", "default"), e => e["reason"]?.GetValue<string>() == "Planned");
    }

    [Fact]
    public async Task RoleLabelsFollowTheStatusAndATerminatedMasterTakesTheFastPath()
    {
        Cluster.CreateRedis(_api);
        Cluster.CreateRedisPod(_api, "example", 0, "10.0.0.10");
        Cluster.CreateRedisPod(_api, "example", 1, "10.0.0.11");
        await using var op = new RunningOperator(_api, RunningOperator.Options());

        await Cluster.EventuallyAsync(() => Cluster.Label(_api.Store.Get("pods", "default", "rfr-redis-example-0"), Labels.Role) == "master"
            && Cluster.Label(_api.Store.Get("pods", "default", "rfr-redis-example-1"), Labels.Role) == "slave", "the master and replica are labelled");
        Assert.Equal("10.0.0.10:6379", Redis()!["status"]!["master"]!.GetValue<string>());

        _api.Store.Mutate("pods", "default", "rfr-redis-example-0", pod =>
            pod["status"]!["containerStatuses"]![0]!["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 137, ["reason"] = "Error" } });

        await Cluster.EventuallyAsync(() => op.Reconcilers.NodeEvents.Any(e => e.NodeName == "rfr-redis-example-0" && e.Event == NodeEventKind.Exited),
            "the reconciler hears that the master's container terminated");
        await Cluster.EventuallyAsync(() => Cluster.Label(_api.Store.Get("pods", "default", "rfr-redis-example-0"), Labels.Role) is null,
            "the master Service stops selecting the terminated master");
    }

    [Fact]
    public async Task PauseAnnotationStopsReconcileUntilRemoved()
    {
        Cluster.CreateRedis(_api, annotations: new() { [Annotations.Paused] = "true" });
        await using var op = new RunningOperator(_api, RunningOperator.Options());

        await Cluster.EventuallyAsync(() => Redis()?["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() == "Paused") == true,
            "the Paused condition is reported");
        await Task.Delay(300);
        Assert.Empty(op.Reconcilers.Passes);
        Assert.Null(_api.Store.Get("statefulsets", "default", "rfr-redis-example"));

        _api.Store.Patch("redises", "default", "example", JsonNode.Parse("""{"metadata":{"annotations":{"redoubt.io/paused":null}}}""")!.AsObject(), status: false, apply: false);
        await Cluster.EventuallyAsync(() => _api.Store.Get("statefulsets", "default", "rfr-redis-example") is not null, "reconcile resumes once the annotation is gone");
        await Cluster.EventuallyAsync(() => Redis()?["status"]?["conditions"]?.AsArray().All(c => c?["type"]?.GetValue<string>() != "Paused") == true,
            "the Paused condition goes away");
    }

    [Fact]
    public async Task DeletionCleansUpThenRemovesTheFinalizer()
    {
        Cluster.CreateRedis(_api);
        await using var op = new RunningOperator(_api, RunningOperator.Options());
        await Cluster.EventuallyAsync(() => _api.Store.Get("deployments", "default", "rfs-redis-example") is not null, "objects exist");

        var deleting = _api.Store.Delete("redises", "default", "example");
        Assert.NotNull(deleting["metadata"]?["deletionTimestamp"]);

        await Cluster.EventuallyAsync(() => Redis() is null, "the finalizer is removed after cleanup and the object goes");
        foreach (var kind in GeneratedKinds)
        {
            Assert.Empty(_api.Store.List(kind, "default"));
        }

        var deletes = _api.Requests.Where(r => r.StartsWith("DELETE", StringComparison.Ordinal)).ToList();
        Assert.True(deletes.FindIndex(r => r.Contains("/deployments/rfs-redis-example", StringComparison.Ordinal))
            < deletes.FindIndex(r => r.Contains("/statefulsets/rfr-redis-example", StringComparison.Ordinal)), "Sentinels go before the Redis nodes");
    }

    [Fact]
    public async Task FailingPassIsRetriedWithBackoffShownOnTheResourceThenSucceeds()
    {
        Cluster.CreateRedis(_api);
        await using var op = new RunningOperator(_api, RunningOperator.Options());
        op.Reconcilers.Failure = new InvalidOperationException("the API said no");

        await Cluster.EventuallyAsync(() => op.Reconcilers.Passes.Count >= 3, "failed passes are retried");
        await Cluster.EventuallyAsync(() => Reconciled()?["status"]?.GetValue<string>() == "False"
            && Reconciled()!["message"]!.GetValue<string>().Contains("the API said no", StringComparison.Ordinal), "the failure is a condition on the resource");
        Assert.Contains(_api.Store.List("events", "default"), e => e["reason"]?.GetValue<string>() == "PassFailed" && e["type"]?.GetValue<string>() == "Warning");

        op.Reconcilers.Failure = null;
        await Cluster.EventuallyAsync(() => Reconciled()?["status"]?.GetValue<string>() == "True", "a later retry succeeds and says so");
        Assert.NotNull(Redis()?["status"]?["phase"]);
    }

    private JsonNode? Reconciled() =>
        Redis()?["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Reconciled");

    [Fact]
    public async Task InvalidSpecIsReportedAndNotRetried()
    {
        Cluster.CreateRedis(_api, spec: """{"replicas": 0}""");
        await using var op = new RunningOperator(_api, RunningOperator.Options());

        await Cluster.EventuallyAsync(() => Redis()?["status"]?["phase"]?.GetValue<string>() == "Failed", "the spec error reaches the status");
        var condition = Redis()!["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "SpecValid")!;
        Assert.Equal("False", condition["status"]!.GetValue<string>());
        Assert.Contains("spec.replicas", condition["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await Cluster.EventuallyAsync(() => _api.Store.List("events", "default").Any(e => e["reason"]?.GetValue<string>() == "InvalidSpec" && e["type"]?.GetValue<string>() == "Warning"),
            "a Warning event says why");
        Assert.Empty(op.Reconcilers.Passes);
    }

    [Fact]
    public async Task DeletedOwnedObjectIsRecreated()
    {
        Cluster.CreateRedis(_api);
        await using var op = new RunningOperator(_api, RunningOperator.Options());
        await Cluster.EventuallyAsync(() => _api.Store.Get("statefulsets", "default", "rfr-redis-example") is not null, "the StatefulSet exists");

        _api.Store.Delete("statefulsets", "default", "rfr-redis-example");
        await Cluster.EventuallyAsync(() => _api.Store.Get("statefulsets", "default", "rfr-redis-example") is not null, "the StatefulSet is applied again");
    }

    [Fact]
    public async Task LeaderHandsOverToTheOtherInstanceOnShutdown()
    {
        Cluster.CreateRedis(_api);
        await using var a = new RunningOperator(_api, RunningOperator.Options("redoubt-a", leaderElection: true));
        await Cluster.EventuallyAsync(() => !a.Reconcilers.Passes.IsEmpty, "the first instance leads and reconciles");
        Assert.Equal("redoubt-a", Holder());

        await using var b = new RunningOperator(_api, RunningOperator.Options("redoubt-b", leaderElection: true));
        await Task.Delay(1000);
        Assert.Empty(b.Reconcilers.Passes);
        Assert.Equal("redoubt-a", Holder());

        var stopped = DateTime.UtcNow;
        await a.StopAsync();
        Cluster.CreateRedis(_api, name: "second");
        await Cluster.EventuallyAsync(() => b.Reconcilers.Passes.Contains("default/second"), "the second instance takes over and reconciles");
        Assert.Equal("redoubt-b", Holder());
        Assert.True(DateTime.UtcNow - stopped < TimeSpan.FromSeconds(5), "the released Lease is taken without waiting for it to expire");
        Assert.DoesNotContain("default/second", a.Reconcilers.Passes);
    }

    /// <summary>
    /// A leader frozen past its Lease (its machine paused) finds, at its first renewal after the thaw, another holder:
    /// it stops at once instead of reconciling beside the new leader until its renew deadline.
    /// </summary>
    [Fact]
    public async Task ALeaderThatFindsAnotherHolderStopsReconcilingAtOnce()
    {
        Cluster.CreateRedis(_api);
        var options = RunningOperator.Options("redoubt-a", leaderElection: true) with { RenewDeadline = TimeSpan.FromSeconds(5), LeaseDuration = TimeSpan.FromSeconds(6) };
        await using var a = new RunningOperator(_api, options);
        await Cluster.EventuallyAsync(() => !a.Reconcilers.Passes.IsEmpty, "the instance leads and reconciles");

        // What a thawed leader finds: the Lease taken over by another instance while it stood still.
        _api.Store.Mutate("leases", "redoubt-system", "redoubt-operator", lease =>
        {
            lease["spec"]!["holderIdentity"] = "redoubt-z";
            lease["spec"]!["renewTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture);
            lease["spec"]!["leaseDurationSeconds"] = 60;
        });
        var changed = DateTime.UtcNow;
        await Cluster.EventuallyAsync(() => a.Log.Lines.Any(l => l.Contains("redoubt-a stops reconciling at once: redoubt-z holds the Lease now", StringComparison.Ordinal)), "the instance reads the new holder");

        // Well inside the renew deadline (5 s), during which it used to go on reconciling.
        Assert.True(DateTime.UtcNow - changed < TimeSpan.FromSeconds(3), $"the term ended {(DateTime.UtcNow - changed).TotalSeconds:F1} s after another instance held the Lease");
        Cluster.CreateRedis(_api, name: "second");
        await Task.Delay(1000);
        Assert.DoesNotContain("default/second", a.Reconcilers.Passes);
        Assert.Equal("redoubt-z", Holder());
    }

    [Fact]
    public async Task ALeaderThatFindsAnotherHolderCancelsItsPassInFlightWithoutTheGrace()
    {
        Cluster.CreateRedis(_api);
        var options = RunningOperator.Options("redoubt-a", leaderElection: true) with
        {
            RenewDeadline = TimeSpan.FromSeconds(5), LeaseDuration = TimeSpan.FromSeconds(6), ShutdownGrace = TimeSpan.FromSeconds(30),
        };
        await using var a = new RunningOperator(_api, options);
        await Cluster.EventuallyAsync(() => !a.Reconcilers.Passes.IsEmpty, "the instance leads and reconciles");
        a.Reconcilers.HoldPassesOf = "default/held";
        Cluster.CreateRedis(_api, name: "held");
        await Cluster.EventuallyAsync(() => a.Reconcilers.Passes.Contains("default/held"), "a pass of the held resource is in flight");

        _api.Store.Mutate("leases", "redoubt-system", "redoubt-operator", lease =>
        {
            lease["spec"]!["holderIdentity"] = "redoubt-z";
            lease["spec"]!["renewTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture);
            lease["spec"]!["leaseDurationSeconds"] = 60;
        });
        var changed = DateTime.UtcNow;

        // Cancelled as soon as the new holder is read, not after the 30 s grace a shutdown gives.
        await Cluster.EventuallyAsync(() => a.Reconcilers.CancelledPasses.Contains("default/held"), "the pass in flight is cancelled");
        Assert.True(DateTime.UtcNow - changed < TimeSpan.FromSeconds(5), $"the pass was cancelled {(DateTime.UtcNow - changed).TotalSeconds:F1} s after another instance held the Lease");
    }

    [Fact]
    public async Task JobsTheApiWillNotListHoldUpNothingButTheBackups()
    {
        // Jobs refused, as an install whose RBAC predates backups refuses them.
        _api.Forbidden["jobs"] = true;
        Cluster.CreateRedis(_api, spec: "{\"backup\": {\"schedule\": \"@daily\", \"s3\": {\"bucket\": \"backups\", \"credentialsSecret\": \"s3\"}}}");
        await using var op = new RunningOperator(_api, RunningOperator.Options() with { JobImage = "registry.local/redoubt:1" });
        await Cluster.EventuallyAsync(() => Task.FromResult(Condition("Backups")?["reason"]?.GetValue<string>() == "JobsUnavailable"),
            () => $"the Backups condition says the Jobs could not be read; status: {Redis()?["status"]?.ToJsonString()}");
        Assert.Contains("forbidden", Condition("Backups")!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("True", Condition("Reconciled")?["status"]?.GetValue<string>());
        Assert.NotNull(Redis()!["status"]!["phase"]);
    }

    private JsonNode? Condition(string type) =>
        Redis()?["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == type);

    private string? Holder() => _api.Store.Get("leases", "redoubt-system", "redoubt-operator")?["spec"]?["holderIdentity"]?.GetValue<string>();
}
