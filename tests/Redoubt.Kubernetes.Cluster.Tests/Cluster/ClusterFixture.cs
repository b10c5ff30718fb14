namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>One control plane for every test of the collection; tests keep apart by namespace.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private TestCluster? _cluster;

    internal TestCluster Cluster => _cluster ?? throw new InvalidOperationException("the test cluster has not started");

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "real API server";
}
