using System.Text.Json.Nodes;
using k8s;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;

namespace Redoubt.Kubernetes.Cluster.Tests.Operator;

/// <summary>The operator, as its ServiceAccount, turns a Redis applied like kubectl does into the objects `redoubt render` prints.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ObjectsTests(ClusterFixture fixture)
{
    private readonly TestCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task RedisAppliedWithServerSideApplyGetsEveryObjectRenderPrints()
    {
        using var ct = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "objects", ct.Token);
        var yaml = RedisYaml.Of("shop", scenario.Namespace, "replicas: 3", "external: true");
        await scenario.ApplyAsync(yaml);
        var rendered = await OperatorScenario.RenderAsync(yaml);
        var redis = await scenario.UntilAsync("the Redis", () => scenario.GetRedisAsync("shop"));
        var uid = redis["metadata"]!["uid"]!.GetValue<string>();
        var server = await ServerApi.DiscoverAsync(scenario.Admin, ct.Token);

        Assert.Contains(rendered, o => Kind(o) == "Service" && Name(o) == "redis-shop-external-lb");
        var differences = new List<string>();
        foreach (var expected in rendered)
        {
            var apiVersion = server.Served(expected["apiVersion"]!.GetValue<string>());
            var served = await scenario.UntilAsync($"{Kind(expected)} {Name(expected)}", () => scenario.GetAsync(apiVersion, Kind(expected), Name(expected)));
            var comparable = server.AsServed(expected);
            comparable.Remove("apiVersion");
            differences.AddRange(JsonSubset.Differences(comparable, served, $"{Kind(expected)} {Name(expected)}"));

            var owner = served["metadata"]!["ownerReferences"]?.AsArray().SingleOrDefault(o => o!["uid"]!.GetValue<string>() == uid);
            if (owner?["controller"]?.GetValue<bool>() != true || owner["blockOwnerDeletion"]?.GetValue<bool>() != true)
            {
                differences.Add($"{Kind(expected)} {Name(expected)}: no controller owner reference to the Redis ({uid})");
            }
        }

        Assert.True(differences.Count == 0, "the objects on the server differ from `redoubt render`:\n" + string.Join("\n", differences));
        var secret = await scenario.Admin.CoreV1.ReadNamespacedSecretAsync("redis-shop-auth", scenario.Namespace, cancellationToken: ct.Token);
        Assert.Equal(32, secret.Data["password"].Length);
    }

    private static string Kind(JsonNode item) => item["kind"]!.GetValue<string>();

    private static string Name(JsonNode item) => item["metadata"]!["name"]!.GetValue<string>();
}
