using Redoubt.Core.Platform;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// A platform that stops a node with a grace period (Kubernetes deleting a pod) says so before the process ends, and
/// until then the master still takes writes: a failover that promotes a replica in that window, without holding those
/// writes back, loses every one the old master acknowledged after the replica's last read. The local platform never
/// sees such an event itself; the test reports it as the operator's pod watch does, then stops the process the way
/// the kubelet does, with SIGTERM, a little later. Its writer runs as fast as it can, so it runs alone.
/// </summary>
[Collection(HeavyLoad.Name)]
public sealed class StoppingMasterTests(ITestOutputHelper output)
{
    private const string Name = "stopping";

    [Fact]
    public async Task AMasterBeingStoppedIsFailedOverWithoutLosingAWriteItAcknowledged()
    {
        await using var run = await ClusterUnderWrites.StartAsync(output, Name, $"""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: {Name}
            spec:
              replicas: 3
            """);
        var before = (await run.Cluster.WaitReadyAsync(Name)).Status!;
        var master = before.Nodes.Single(n => n.Role == "master");
        await run.Writer.WaitForMoreAsync(500, TimeSpan.FromSeconds(20));

        var fault = run.Writer.NowTicks;
        run.Cluster.ControlPlane.ReportNodeEvent(new NodeEvent($"default/{Name}", NodeKind.Redis, master.Name, NodeEventKind.Stopping, DateTimeOffset.UtcNow, "stopping with a grace period"));
        await run.Cluster.WaitUntilAsync(Name, r => r.Status?.Master is { } now && now != master.Address, "a new master");
        Processes.Signal(master.Pid!.Value, Processes.SigTerm);

        var after = (await run.Cluster.WaitUntilAsync(Name, r => r.Status is { Phase: Phases.Ready } s && s.Master != master.Address && s.Nodes.All(n => n.Pid != master.Pid),
            "Ready again with the stopped node restarted")).Status!;
        await run.Writer.WaitForMoreAsync(500, TimeSpan.FromSeconds(20));
        output.WriteLine($"write gap {run.Writer.GapAfter(fault):F0} ms; {run.Writer.Acknowledged} writes acknowledged");
        Assert.Contains(after.Events, e => e.Reason == "FastFailover" && e.Message.Contains(master.Name, StringComparison.Ordinal));
        await run.FinishAsync();
    }
}
