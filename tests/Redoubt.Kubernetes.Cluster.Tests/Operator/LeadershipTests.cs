using System.Diagnostics;
using k8s;
using k8s.Models;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;

namespace Redoubt.Kubernetes.Cluster.Tests.Operator;

/// <summary>Two operator processes and one Lease; an API server that goes away and comes back.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LeadershipTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private readonly TestCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task TheOtherOperatorTakesTheLeaseWhenTheLeaderIsKilledAndReconciles()
    {
        using var ct = new CancellationTokenSource(Deadline);
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "lease", ct.Token, startOperator: false);
        var first = scenario.StartOperator("a");
        var second = scenario.StartOperator("b", kubeconfigFromEnvironment: false);
        var operators = new[] { first, second };

        var leader = await scenario.UntilAsync("one of the two to hold the Lease", async () =>
            await scenario.LeaseHolderAsync() is { } holder && operators.Any(o => o.Identity == holder) ? holder : null);
        var (dead, survivor) = leader == first.Identity ? (first, second) : (second, first);
        await dead.KillAsync();

        // SIGKILL releases nothing: the survivor waits out the lease duration (15 s), then takes over.
        await scenario.UntilAsync($"{survivor.Identity} to take the Lease", async () =>
            await scenario.LeaseHolderAsync() == survivor.Identity ? "taken" : null, TimeSpan.FromSeconds(90));
        await scenario.ApplyAsync(RedisYaml.Of("after", scenario.Namespace));
        await scenario.UntilAsync("the new leader's objects", () => scenario.GetAsync("apps/v1", "StatefulSet", "rfr-redis-after"));
        var redis = await scenario.ObservedAsync("after", 1);
        Assert.Equal("True", OperatorScenario.Condition(redis, "Reconciled")?["status"]?.GetValue<string>());
    }

    [Fact]
    public async Task WatchesSurviveAnApiServerRestart()
    {
        using var ct = new CancellationTokenSource(Deadline);
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "restart", ct.Token);
        await scenario.ApplyAsync(RedisYaml.Of("before", scenario.Namespace));
        await scenario.ObservedAsync("before", 1);

        await _cluster.RestartApiServerAsync(ct.Token);

        // Created after the restart: only a watch (or relist) that came back can bring it to the operator.
        await scenario.ApplyAsync(RedisYaml.Of("after", scenario.Namespace));
        await scenario.UntilAsync("objects for a Redis created after the restart", () => scenario.GetAsync("apps/v1", "StatefulSet", "rfr-redis-after"));
        await scenario.ObservedAsync("after", 1);
        Assert.False(scenario.Operators[0].HasExited, "the operator exited over the restart:\n" + scenario.OperatorLogs());
    }

    [Fact]
    public async Task AWatchTheServerNoLongerHasIsListedAgainAfterARealGone()
    {
        using var ct = new CancellationTokenSource(Deadline);
        var (uncached, url) = await _cluster.StartUncachedApiServerAsync(ct.Token);
        await using var stopped = uncached;
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "gone", ct.Token, startOperator: false);
        var kubeconfig = await _cluster.ServiceAccountKubeconfigAsync(OperatorInstall.Namespace, OperatorInstall.ServiceAccount, ct.Token, url);
        // Watch requests of 2 s: each one resumes from the last version the operator saw.
        var watching = scenario.StartOperator("a", options: ["--watch-timeout=2"], kubeconfig: kubeconfig);
        await scenario.ApplyAsync(RedisYaml.Of("before", scenario.Namespace));
        await scenario.ObservedAsync("before", 1);

        // Another object moves etcd's revision past the last Redis event the operator saw, and etcd forgets everything
        // before it: the next resume of the Redis watch is refused by etcd, which the API server sends as 410 Gone.
        var compacted = 0;
        var lastCompaction = Stopwatch.StartNew();
        await scenario.UntilAsync("the operator's Redis watch to be told 410 Gone and to list again", async () =>
        {
            if (scenario.LogLines("watch of Redis expired") > 0)
            {
                return "listed again";
            }

            if (compacted == 0 || lastCompaction.Elapsed > TimeSpan.FromSeconds(1))
            {
                await scenario.Admin.CoreV1.CreateNamespacedConfigMapAsync(
                    new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"revision-{++compacted}" } }, scenario.Namespace, cancellationToken: ct.Token);
                await _cluster.CompactEtcdAsync(ct.Token);
                lastCompaction.Restart();
            }

            return null;
        });

        // Listed again, and watching again: a Redis created now is reconciled.
        await scenario.ApplyAsync(RedisYaml.Of("after", scenario.Namespace));
        await scenario.UntilAsync("objects for a Redis created after the 410", () => scenario.GetAsync("apps/v1", "StatefulSet", "rfr-redis-after"));
        await scenario.ObservedAsync("after", 1);
        Assert.False(watching.HasExited, "the operator exited over the 410:\n" + scenario.OperatorLogs());
        // Watches that ended at their timeout with nothing to say (no bookmarks without a watch cache) were resumed, not
        // taken for failures and listed again.
        Assert.True(scenario.LogLines("failed; listing again") == 0, "a watch was taken for failed:\n" + scenario.OperatorLogs());
    }
}
