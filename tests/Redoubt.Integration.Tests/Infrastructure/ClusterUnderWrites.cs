using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// A resource brought to Ready, with a sequence-numbered writer already running through its Sentinels; with
/// <c>zoneNamespaces</c>, each zone in a network namespace of its own. Disposing it stops everything it started,
/// the writer first: it writes to the cluster's nodes until it has stopped.
/// </summary>
internal sealed class ClusterUnderWrites : IAsyncDisposable
{
    private readonly ZoneNetworks? _zones;

    private ClusterUnderWrites(string name, ZoneNetworks? zones, LocalCluster cluster, SequenceWriter writer)
    {
        Name = name;
        _zones = zones;
        Cluster = cluster;
        Writer = writer;
    }

    public string Name { get; }
    public LocalCluster Cluster { get; }
    public SequenceWriter Writer { get; }

    public ZoneNetworks Zones => _zones ?? throw new InvalidOperationException("this cluster was started without zone namespaces");

    /// <param name="tuneWriter">Changes the writer's client options (the printed connection string's) before it connects.</param>
    public static async Task<ClusterUnderWrites> StartAsync(ITestOutputHelper output, string name, string yaml, bool zoneNamespaces = false, Action<StackExchange.Redis.ConfigurationOptions>? tuneWriter = null)
    {
        var zones = zoneNamespaces ? await ZoneNetworks.CreateAsync() : null;
        // The cluster owns the zones from here on, also when it fails to start.
        var cluster = await LocalCluster.StartAsync(output, zones);

        SequenceWriter? writer = null;
        try
        {
            await cluster.ApplyAsync(yaml);
            await cluster.WaitReadyAsync(name);
            writer = await cluster.StartWriterAsync(name, tuneWriter);
            await writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(10));
            return new ClusterUnderWrites(name, zones, cluster, writer);
        }
        catch
        {
            // Processes, namespaces and a writer looping against stopped nodes outlive a failed test otherwise;
            // the cluster disposes the zones.
            try
            {
                if (writer is not null)
                {
                    await writer.DisposeAsync();
                }
            }
            finally
            {
                await cluster.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Stops the writer and asserts one master holding every acknowledged write.</summary>
    public async Task FinishAsync()
    {
        await Writer.StopAsync();
        var status = (await Cluster.WaitReadyAsync(Name)).Status!;
        await Local.SelfHealingTests.AssertOneMasterAndNothingLostAsync(Cluster, Name, status, Writer);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Writer.DisposeAsync();
        }
        finally
        {
            // Even when the writer failed: the nodes and namespaces must not outlive the test. The cluster disposes
            // the zones after stopping its nodes.
            await Cluster.DisposeAsync();
        }
    }
}
