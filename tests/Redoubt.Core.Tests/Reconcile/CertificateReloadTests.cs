using Redoubt.Core.Platform;
using Redoubt.Core.Reconcile;

namespace Redoubt.Core.Tests.Reconcile;

public sealed class CertificateReloadTests
{
    private static NodeState Redis(string name, string? certificate, NodeLifecycle lifecycle = NodeLifecycle.Running) =>
        new(NodeKind.Redis, name, "gland", lifecycle, "127.0.1.1", 7000, Certificate: certificate);

    [Fact]
    public void ARunningNodePresentingAnotherCertificateThanItsFileLoadsItsFiles()
    {
        var served = new Dictionary<string, string> { ["redis-0"] = "old", ["redis-1"] = "same" };
        NodeState[] nodes = [Redis("redis-0", "new"), Redis("redis-1", "same"), Redis("redis-2", "unreachable")];

        Assert.Equal(["redis-0"], CertificateReload.Due(nodes, served).Select(n => n.Name));
    }

    [Fact]
    public void NodesThatAreNotRunningSentinelsAndNodesWithoutTlsAreLeftAlone()
    {
        NodeState[] nodes =
        [
            Redis("redis-0", "new", NodeLifecycle.Exited),
            Redis("redis-1", "new", NodeLifecycle.Starting),
            Redis("redis-2", null),
            new(NodeKind.Sentinel, "sentinel-0", "gland", NodeLifecycle.Running, "127.0.1.1", 26000, Certificate: "new"),
        ];

        var served = nodes.ToDictionary(n => n.Name, _ => "old");

        Assert.Empty(CertificateReload.Due(nodes, served));
    }
}
