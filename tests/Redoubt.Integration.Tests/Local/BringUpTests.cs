using Redoubt.Integration.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

public sealed class BringUpTests(ITestOutputHelper output)
{
    private const string Reference = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: example
          namespace: default
        spec: {}
        """;

    [Fact]
    public async Task ReferenceExampleComesUpReadyWithMasterAndReplicaInDifferentZones()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Reference);
        var ready = await cluster.WaitReadyAsync("example");

        var status = ready.Status!;
        Assert.Equal("mymaster", status.MasterName);
        Assert.Equal(2, status.Nodes.Count);
        Assert.Single(status.Nodes, n => n.Role == "master");
        Assert.Single(status.Nodes, n => n.Role == "replica");
        Assert.Equal(2, status.Nodes.Select(n => n.Zone).Distinct().Count());
        Assert.Equal(3, status.Sentinels.Count);
        Assert.Equal(3, status.SentinelNodes.Select(s => s.Zone).Distinct().Count());
        Assert.Equal(status.Master, status.Nodes.Single(n => n.Role == "master").Address);
        Assert.All(status.SentinelNodes, s => Assert.Equal(status.Master, s.MonitoredMaster));
    }

    [Fact]
    public async Task ClientThroughSentinelsWritesAndReplicasHaveTheData()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Reference.Replace("spec: {}", "spec:\n  replicas: 3", StringComparison.Ordinal));
        var ready = await cluster.WaitReadyAsync("example");
        await using var client = await cluster.ConnectAsync("example");
        var db = client.GetDatabase();
        for (var i = 0; i < 100; i++)
        {
            await db.StringSetAsync($"k{i}", $"v{i}");
        }

        Assert.Equal("v42", (string?)await db.StringGetAsync("k42"));
        await db.ExecuteAsync("WAIT", 2, 5000);
        var keep = new List<ConnectionMultiplexer>();
        try
        {
            foreach (var replica in ready.Status!.Nodes.Where(n => n.Role == "replica"))
            {
                var direct = await cluster.DirectAsync("example", replica.Address, keep);
                Assert.Equal("v99", (string?)await direct.StringGetAsync("k99"));
            }
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }
    }
}
