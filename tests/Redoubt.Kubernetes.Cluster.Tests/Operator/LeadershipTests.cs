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
}
