using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// Real network partitions: each zone runs in a network namespace of its own and a zone is cut off by taking its
/// link down. The writer, like the control plane, is outside every zone. Each ends with exactly one master holding
/// every acknowledged write. They run only inside the network namespace <see cref="PartitionScenarioRun"/> creates,
/// which reports their results: the zones' uplink address and route are never added to the host's namespace.
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

    [PartitionScenario]
    public async Task TheMastersZoneCutOffFailsOverToTheMajorityAndTheOldMasterReturnsAsAReplica()
    {
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, ThreeNodes, zoneNamespaces: true);
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

    [PartitionScenario]
    public async Task AReplicasZoneCutOffChangesNothingAndTheReplicaCatchesUpAfterwards()
    {
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, ThreeNodes, zoneNamespaces: true);
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
}
