using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>Changing the spec converges without losing data; deleting removes or keeps the data as asked.</summary>
public sealed class ConvergenceTests(ITestOutputHelper output)
{
    private static string Spec(string body) => $"""
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: conv
        spec:
        {body}
        """;

    [Fact]
    public async Task ScalingUpAndDownAndChangingSettingsConvergesWithoutLosingData()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Spec("  replicas: 2"));
        await cluster.WaitReadyAsync("conv");
        await using var writer = await cluster.StartWriterAsync("conv");
        await writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(10));

        await cluster.ApplyAsync(Spec("  replicas: 3\n  maxmemoryPolicy: allkeys-lru"));
        var three = await cluster.WaitUntilAsync("conv", r => r.Status is { Phase: Phases.Ready, ObservedGeneration: 2 } s && s.Nodes.Count == 3, "Ready with 3 nodes");
        await writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(10));
        var keep = new List<ConnectionMultiplexer>();
        try
        {
            foreach (var node in three.Status!.Nodes)
            {
                var db = await cluster.DirectAsync("conv", node.Address, keep);
                var policy = (string[]?)await db.ExecuteAsync("CONFIG", "GET", "maxmemory-policy");
                Assert.Equal("allkeys-lru", policy![1]);
            }

            // Make the node that a scale-down removes the master first: it must hand over before it goes.
            var switched = await cluster.ControlPlane.FailoverAsync("default", "conv", "redis-2", CancellationToken.None);
            Assert.True(switched.Succeeded, switched.Message);
            await cluster.WaitUntilAsync("conv", r => r.Status is { Phase: Phases.Ready } s && s.Nodes.Single(n => n.Role == "master").Name == "redis-2", "Ready with redis-2 as master");

            // Scale down to one node: the survivor (redis-0) must end up master with every write.
            await cluster.ApplyAsync(Spec("  replicas: 1\n  maxmemoryPolicy: allkeys-lru"));
            var one = await cluster.WaitUntilAsync("conv", r => r.Status is { Phase: Phases.Ready, ObservedGeneration: 3 } s && s.Nodes.Count == 1, "Ready with 1 node");
            await writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(20));
            await writer.StopAsync();
            Assert.Equal("redis-0", one.Status!.Nodes.Single().Name);
            await SelfHealingTests.AssertOneMasterAndNothingLostAsync(cluster, "conv", one.Status, writer);
            Assert.False(Directory.Exists(Path.Combine(cluster.Home, "resources", "default", "conv", "redis-2")), "the removed node's folder is still there");
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task DeleteStopsTheNodesAndRemovesTheDataUnlessAskedToKeepIt()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Spec("  replicas: 2"));
        var ready = (await cluster.WaitReadyAsync("conv")).Status!;
        await using (var client = await cluster.ConnectAsync("conv"))
        {
            await client.GetDatabase().StringSetAsync("kept", "yes");
            await client.GetDatabase().ExecuteAsync("WAIT", 1, 5000);
        }

        var folder = Path.Combine(cluster.Home, "resources", "default", "conv");
        Assert.True(await cluster.ControlPlane.DeleteAsync("default", "conv", keepData: true, CancellationToken.None));
        Assert.Null(await cluster.ControlPlane.GetAsync("default", "conv", CancellationToken.None));
        Assert.All(ready.Nodes, n => Assert.False(Alive(n.Pid!.Value), $"{n.Name} (pid {n.Pid}) still runs after delete"));
        Assert.True(Directory.Exists(Path.Combine(folder, "redis-0", "data")));

        await cluster.ApplyAsync(Spec("  replicas: 2"));
        await cluster.WaitReadyAsync("conv");
        await using (var client = await cluster.ConnectAsync("conv"))
        {
            Assert.Equal("yes", (string?)await client.GetDatabase().StringGetAsync("kept"));
        }

        Assert.True(await cluster.ControlPlane.DeleteAsync("default", "conv", keepData: false, CancellationToken.None));
        Assert.False(Directory.Exists(folder), "delete without --keep-data left the resource folder");
        Assert.False(await cluster.ControlPlane.DeleteAsync("default", "conv", keepData: false, CancellationToken.None));
    }

    [Theory]
    [InlineData("  external: true\n  authEnabled: false", "spec.external")]
    [InlineData("  version: {not-installed}", "spec.version")]
    [InlineData("  backup:\n    s3: {bucket: backups, credentialsSecret: s3-credentials}", "spec.backup.s3.credentialsSecret")]
    public async Task WhatTheLocalPlatformCannotDoIsRefusedAndNothingStarts(string body, string path)
    {
        await using var cluster = await LocalCluster.StartAsync(output);

        // A major version other than the installed redis-server's.
        body = body.Replace("{not-installed}", cluster.ControlPlane.RedisVersion.StartsWith('8') ? "v7" : "v8", StringComparison.Ordinal);
        var result = await cluster.ControlPlane.ApplyAsync(Spec(body), "local.yaml", CancellationToken.None);

        Assert.Contains(result.Errors, e => e.Path == path && e.File == "local.yaml");
        Assert.Empty(await cluster.ControlPlane.ListAsync(CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(cluster.Home, "resources", "default", "conv")));
    }

    [Fact]
    public async Task TurningAuthOffOnARunningResourceIsRefusedAndChangesNothing()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Spec(""));

        var result = await cluster.ControlPlane.ApplyAsync(Spec("  authEnabled: false"), "local.yaml", CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("local.yaml", "spec.authEnabled"), (error.File, error.Path));
        Assert.Contains("allowed here: true", error.Message, StringComparison.Ordinal);
        var stored = (await cluster.ControlPlane.GetAsync("default", "conv", CancellationToken.None))!;
        Assert.Equal(1, stored.Metadata.Generation);
        Assert.Null(stored.Spec.AuthEnabled);
    }

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
}
