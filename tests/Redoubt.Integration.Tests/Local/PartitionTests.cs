using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// Real network partitions: each zone runs in a network namespace of its own and a zone is cut off by taking its
/// link down. The writer, like the control plane, is outside every zone. Each ends with exactly one master holding
/// every acknowledged write.
/// </summary>
public sealed class PartitionTests(ITestOutputHelper output)
{
    private const string Name = "split";
    private const string ThreeNodes = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: split
        spec:
          replicas: 3
        """;

    private static int ZoneIndex(string zone) => SpecDefaults.DefaultZones.ToList().IndexOf(zone);

    [Fact]
    public async Task TheMastersZoneCutOffFailsOverToTheMajorityAndTheOldMasterReturnsAsAReplica()
    {
        await using var run = await Run.StartAsync(output);
        var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        var master = before.Nodes.Single(n => n.Role == "master");
        var fault = run.Writer.NowTicks;
        await run.Zones.PartitionAsync(ZoneIndex(master.Zone));

        // The Sentinels of the two other zones are a majority: they fail over on their own (the slow path).
        var moved = (await run.Cluster.WaitUntilAsync(Name, r => r.Status?.Master is { } m && m != master.Address, "a new master outside the cut-off zone")).Status!;
        await run.Writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(20));
        output.WriteLine($"write gap after the partition {run.Writer.GapAfter(fault):F0} ms");

        await run.Zones.HealAsync(ZoneIndex(master.Zone));
        var healed = (await run.Cluster.WaitUntilAsync(Name, r => r.Status is { Phase: Phases.Ready } s && s.Nodes.Single(n => n.Name == master.Name).Role == "replica", "Ready with the old master back as a replica", TimeSpan.FromSeconds(90))).Status!;
        Assert.Equal(moved.Master, healed.Master);
        await run.FinishAsync();
    }

    [Fact]
    public async Task AReplicasZoneCutOffChangesNothingAndTheReplicaCatchesUpAfterwards()
    {
        await using var run = await Run.StartAsync(output);
        var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        var replica = before.Nodes.First(n => n.Role == "replica");
        await run.Zones.PartitionAsync(ZoneIndex(replica.Zone));

        // Writes go on at the master while one replica and one Sentinel are away, well past down-after.
        await run.Cluster.WaitUntilAsync(Name, r => r.Status?.Nodes.Single(n => n.Name == replica.Name).Role == "unreachable", "the replica seen as unreachable");
        await run.Writer.WaitForMoreAsync(2000, TimeSpan.FromSeconds(20));
        await run.Writer.WaitForMoreAsync(2000, TimeSpan.FromSeconds(20));

        await run.Zones.HealAsync(ZoneIndex(replica.Zone));
        var healed = (await run.Cluster.WaitUntilAsync(Name, r => r.Status is { Phase: Phases.Ready } s && s.Nodes.Single(n => n.Name == replica.Name).Health == "ok", "Ready with the replica in sync again", TimeSpan.FromSeconds(90))).Status!;
        Assert.Equal(before.Master, healed.Master);
        Assert.DoesNotContain(healed.Events, e => e.Reason is "FailedOver" or "FastFailover" or "Fenced");
        await run.FinishAsync();
    }

    /// <summary>Three nodes in three namespaced zones with a writer already running through the Sentinels.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private Run(ZoneNetworks zones, LocalCluster cluster, StackExchange.Redis.ConnectionMultiplexer client, SequenceWriter writer)
        {
            Zones = zones;
            Cluster = cluster;
            Client = client;
            Writer = writer;
        }

        public ZoneNetworks Zones { get; }
        public LocalCluster Cluster { get; }
        public StackExchange.Redis.ConnectionMultiplexer Client { get; }
        public SequenceWriter Writer { get; }

        public static async Task<Run> StartAsync(ITestOutputHelper output)
        {
            var zones = await ZoneNetworks.CreateAsync();
            LocalCluster cluster;
            try
            {
                cluster = await LocalCluster.StartAsync(output, zones);
            }
            catch
            {
                await zones.DisposeAsync();
                throw;
            }

            try
            {
                await cluster.ApplyAsync(ThreeNodes);
                await cluster.WaitReadyAsync(Name);
                var client = await cluster.ConnectAsync(Name);
                var writer = new SequenceWriter(client);
                writer.Start();
                await writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(10));
                return new Run(zones, cluster, client, writer);
            }
            catch
            {
                // Namespaces and processes outlive a failed test otherwise.
                await cluster.DisposeAsync();
                throw;
            }
        }

        public async Task FinishAsync()
        {
            await Writer.StopAsync();
            var status = (await Cluster.WaitReadyAsync(Name)).Status!;
            await SelfHealingTests.AssertOneMasterAndNothingLostAsync(Cluster, Name, status, Writer);
        }

        public async ValueTask DisposeAsync()
        {
            await Writer.DisposeAsync();
            await Client.DisposeAsync();
            // The cluster disposes the zones after stopping its nodes.
            await Cluster.DisposeAsync();
        }
    }
}
