using Redoubt.Core.Access;
using Redoubt.Core.Planning;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.RedisConfigText;

namespace Redoubt.Core.Tests.Planning;

public sealed class TlsConfigTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3, s => s.Tls = new Model.TlsSpec { Enabled = true });
    private static readonly TlsFiles Files = new("/r/redis-1/tls.crt", "/r/redis-1/tls.key", "/r/ca.crt") { Issued = "AB12" };

    private static RedisNodeConfig Node(TlsFiles? tls) => new()
    {
        Plan = Plan,
        Node = Plan.RedisNodes[1],
        Bind = ["127.0.1.2"],
        Port = 7001,
        DataDirectory = "/r/redis-1/data",
        Secrets = new ResourceSecrets("s3cret", null),
        ParkHost = "127.0.1.2",
        ParkPort = 7001,
        Tls = tls,
    };

    private static SentinelNodeConfig Sentinel(TlsFiles? tls) => new()
    {
        Plan = Plan,
        Node = Plan.Sentinels[0],
        Bind = ["127.0.1.1"],
        Port = 26000,
        Directory = "/r/sentinel-0/data",
        Master = ("127.0.1.1", 7000),
        Tls = tls,
    };

    [Fact]
    public void ATlsNodeListensWithTlsOnItsPortAndNotInClear()
    {
        var text = RedisConfigRenderer.RenderRedis(Node(Files));

        Assert.Equal(["port", "0"], Assert.Single(All(text, "port")));
        Assert.Equal(["tls-port", "7001"], Assert.Single(All(text, "tls-port")));
        Assert.Equal(["tls-cert-file", "/r/redis-1/tls.crt"], Assert.Single(All(text, "tls-cert-file")));
        Assert.Equal(["tls-key-file", "/r/redis-1/tls.key"], Assert.Single(All(text, "tls-key-file")));
        Assert.Equal(["tls-ca-cert-file", "/r/ca.crt"], Assert.Single(All(text, "tls-ca-cert-file")));
        Assert.Equal(["tls-replication", "yes"], Assert.Single(All(text, "tls-replication")));
        Assert.Equal(["tls-auth-clients", "optional"], Assert.Single(All(text, "tls-auth-clients")));
        Assert.Equal(["tls-protocols", "TLSv1.2 TLSv1.3"], Assert.Single(All(text, "tls-protocols")));
        // Parked at port 0 of its own host, which refuses at once, never at its own TLS port (it would block itself).
        Assert.Equal(["replicaof", "127.0.1.2", "0"], Directives(text)[^1]);
    }

    [Fact]
    public void ATlsSentinelListensWithTlsAndReachesNodesAndPeersWithTls()
    {
        var text = RedisConfigRenderer.RenderSentinel(Sentinel(Files));

        Assert.Equal(["port", "0"], Assert.Single(All(text, "port")));
        Assert.Equal(["tls-port", "26000"], Assert.Single(All(text, "tls-port")));
        Assert.Equal(["tls-replication", "yes"], Assert.Single(All(text, "tls-replication")));
        Assert.Equal(["tls-cert-file", "/r/redis-1/tls.crt"], Assert.Single(All(text, "tls-cert-file")));
    }

    [Fact]
    public void WithoutTlsNothingOfItIsRendered()
    {
        var text = RedisConfigRenderer.RenderRedis(Node(null)) + RedisConfigRenderer.RenderSentinel(Sentinel(null));

        Assert.DoesNotContain("tls", text, StringComparison.Ordinal);
        Assert.Equal(["port", "7001"], All(text, "port")[0]);
    }

    [Fact]
    public void ARenewedCertificateRestartsASentinelButNotARedisNode()
    {
        var renewed = Files with { Issued = "CD34" };

        Assert.Equal(Revisions.OfRedis(Node(Files)), Revisions.OfRedis(Node(renewed)));
        Assert.NotEqual(Revisions.OfSentinel(Sentinel(Files)), Revisions.OfSentinel(Sentinel(renewed)));
    }

    [Theory]
    [InlineData("127.0.1.2:0", true)]
    [InlineData("127.0.1.2:7001", true)]
    [InlineData("127.0.1.1:7000", false)]
    [InlineData("127.0.1.1:0", false)]
    public void ANodeParkedAtPortZeroOfItsOwnHostIsParked(string master, bool parked)
    {
        var node = new Observation.RedisNodeObservation { Name = "redis-1", Zone = "lucerne", Address = "127.0.1.2:7001", Reachable = true, Role = "slave", MasterAddress = master };

        Assert.Equal(parked, node.IsParked);
    }
}
