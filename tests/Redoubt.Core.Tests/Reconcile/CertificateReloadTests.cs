using Redoubt.Core.Platform;
using Redoubt.Core.Reconcile;

namespace Redoubt.Core.Tests.Reconcile;

public sealed class CertificateReloadTests
{
    private static NodeState Redis(string name, string? certificate, NodeLifecycle lifecycle = NodeLifecycle.Running) =>
        new(NodeKind.Redis, name, "gland", lifecycle, "127.0.1.1", 7000, Certificate: certificate);

    [Fact]
    public void ARunningNodeLoadsACertificateItIsNotKnownToServe()
    {
        var loaded = new Dictionary<string, string> { ["redis-0"] = "old", ["redis-1"] = "same" };
        NodeState[] nodes = [Redis("redis-0", "new"), Redis("redis-1", "same"), Redis("redis-2", "first")];

        Assert.Equal(["redis-0", "redis-2"], CertificateReload.Due(nodes, loaded).Select(n => n.Name));
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

        Assert.Empty(CertificateReload.Due(nodes, new Dictionary<string, string>()));
    }
}
