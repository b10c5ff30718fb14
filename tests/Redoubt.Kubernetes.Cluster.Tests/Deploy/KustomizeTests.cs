using Redoubt.Kubernetes.Cluster.Tests.Cluster;

namespace Redoubt.Kubernetes.Cluster.Tests.Deploy;

/// <summary>What users run to install the operator: <c>kubectl apply -k deploy/</c>, against a real API server.</summary>
[Collection(ClusterCollection.Name)]
public sealed class KustomizeTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly TestCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task DeployDirectoryAppliesCleanlyAndAgainWithoutChanges()
    {
        using var ct = new CancellationTokenSource(Deadline);

        var first = await Kubectl.RunAsync(_cluster.AdminKubeconfig, ["apply", "-k", "deploy/"], ct.Token);
        Assert.True(first.ExitCode == 0, $"kubectl apply -k deploy/ failed: {first}");

        var created = await Kubectl.RunAsync(_cluster.AdminKubeconfig,
            ["get", "-n", "redoubt-system", "deployment/redoubt-operator", "serviceaccount/redoubt-operator", "-o", "name"], ct.Token);
        Assert.True(created.ExitCode == 0, $"the operator's Deployment and ServiceAccount are not there: {created}");
        var established = await Kubectl.RunAsync(_cluster.AdminKubeconfig,
            ["wait", "--for=condition=Established", "--timeout=60s", "crd/redises.apps.cozystack.io"], ct.Token);
        Assert.True(established.ExitCode == 0, $"the CRD applied by kubectl is not established: {established}");

        var again = await Kubectl.RunAsync(_cluster.AdminKubeconfig, ["apply", "-k", "deploy/"], ct.Token);
        Assert.True(again.ExitCode == 0, $"a second kubectl apply -k deploy/ failed: {again}");
        var changed = again.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.EndsWith(" unchanged", StringComparison.Ordinal)).ToList();
        Assert.True(changed.Count == 0, $"a second apply changed objects:\n{string.Join('\n', changed)}");
    }
}
