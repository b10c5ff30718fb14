using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// A resource brought to Ready, with a sequence-numbered writer already running through its Sentinels; with
/// <c>zoneNamespaces</c>, each zone in a network namespace of its own. Disposing it stops everything it started.
/// </summary>
internal sealed class ClusterUnderWrites : IAsyncDisposable
{
    private readonly ZoneNetworks? _zones;

    private ClusterUnderWrites(string name, ZoneNetworks? zones, LocalCluster cluster, ConnectionMultiplexer client, SequenceWriter writer)
    {
        Name = name;
        _zones = zones;
        Cluster = cluster;
        Client = client;
        Writer = writer;
    }

    public string Name { get; }
    public LocalCluster Cluster { get; }
    public ConnectionMultiplexer Client { get; }
    public SequenceWriter Writer { get; }

    public ZoneNetworks Zones => _zones ?? throw new InvalidOperationException("this cluster was started without zone namespaces");

    public static async Task<ClusterUnderWrites> StartAsync(ITestOutputHelper output, string name, string yaml, bool zoneNamespaces = false)
    {
        var zones = zoneNamespaces ? await ZoneNetworks.CreateAsync() : null;
        LocalCluster cluster;
        try
        {
            cluster = await LocalCluster.StartAsync(output, zones);
        }
        catch
        {
            if (zones is not null)
            {
                await zones.DisposeAsync();
            }

            throw;
        }

        try
        {
            await cluster.ApplyAsync(yaml);
            await cluster.WaitReadyAsync(name);
            var client = await cluster.ConnectAsync(name);
            var writer = new SequenceWriter(client);
            writer.Start();
            await writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(10));
            return new ClusterUnderWrites(name, zones, cluster, client, writer);
        }
        catch
        {
            // Processes (and namespaces) outlive a failed test otherwise; the cluster disposes the zones.
            await cluster.DisposeAsync();
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
        await Writer.DisposeAsync();
        await Client.DisposeAsync();
        // The cluster disposes the zones after stopping its nodes.
        await Cluster.DisposeAsync();
    }
}
