using System.Net;
using System.Security.Cryptography.X509Certificates;
using Redoubt.Core.Tls;

namespace Redoubt.Core.Tests.Tls;

public sealed class CertificateAuthorityTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly NodeIdentity Node = NodeIdentity.For("redis-1", ["127.10.0.2", "rfr-redis-orders-1.rfr-redis-orders.shop.svc.cluster.local", "rfr-redis-orders"]);

    [Fact]
    public void TheCaSignsCertificatesAndNothingElse()
    {
        using var ca = CertificateAuthority.CreateAuthority("shop/orders", Now);

        var constraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
        Assert.Equal("CN=Redoubt CA shop/orders", ca.Subject);
        using var key = ca.GetECDsaPublicKey();
        Assert.Equal(256, key!.KeySize);
        Assert.True(ca.NotAfter.ToUniversalTime() >= Now.UtcDateTime.AddDays(3649));
    }

    [Fact]
    public void ANodeCertificateNamesEveryAddressOfTheNode()
    {
        using var ca = CertificateAuthority.CreateAuthority("shop/orders", Now);
        using var node = CertificateAuthority.IssueNode(ca, Node, Now);

        var (dns, ips) = CertificateRenewal.SubjectAlternativeNames(node);
        Assert.Equal(["rfr-redis-orders-1.rfr-redis-orders.shop.svc.cluster.local", "rfr-redis-orders"], dns);
        Assert.Equal([IPAddress.Parse("127.10.0.2")], ips);
        Assert.Equal("CN=redis-1", node.Subject);
        Assert.Equal(ca.Subject, node.Issuer);
    }

    [Fact]
    public void ANodeCertificateServesBothEndsOfAConnectionAndCannotSign()
    {
        using var ca = CertificateAuthority.CreateAuthority("shop/orders", Now);
        using var node = CertificateAuthority.IssueNode(ca, Node, Now);

        Assert.False(Assert.Single(node.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, Assert.Single(node.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
        var usages = Assert.Single(node.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value).ToList();
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages);
    }

    [Fact]
    public void ANodeCertificateIsValidForAYearFromJustBeforeItWasIssued()
    {
        using var ca = CertificateAuthority.CreateAuthority("shop/orders", Now);
        using var node = CertificateAuthority.IssueNode(ca, Node, Now);

        Assert.Equal(Now.UtcDateTime.AddMinutes(-5), node.NotBefore.ToUniversalTime());
        Assert.Equal(Now.UtcDateTime.AddDays(365), node.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void ANodeCertificateNeverOutlivesItsCa()
    {
        using var ca = CertificateAuthority.CreateAuthority("shop/orders", Now);
        using var node = CertificateAuthority.IssueNode(ca, Node, Now.AddDays(3600));

        Assert.Equal(ca.NotAfter, node.NotAfter);
    }

    [Fact]
    public void ANodeCertificateChainsToItsCaOnly()
    {
        using var ca = CertificateAuthority.CreateAuthority("shop/orders", Now);
        using var other = CertificateAuthority.CreateAuthority("shop/other", Now);
        using var node = CertificateAuthority.IssueNode(ca, Node, Now);

        Assert.True(Chains(node, ca));
        Assert.False(Chains(node, other));
    }

    [Fact]
    public void PemFilesReadBackToTheSameCertificateAndKey()
    {
        using var ca = CertificateAuthority.CreateAuthority("shop/orders", Now);
        using var node = CertificateAuthority.IssueNode(ca, Node, Now);

        var keyPem = CertificateAuthority.PrivateKeyPem(node);
        using var read = CertificateAuthority.FromPem(CertificateAuthority.CertificatePem(node), keyPem);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", keyPem, StringComparison.Ordinal);
        Assert.Equal(node.Thumbprint, read.Thumbprint);
        Assert.True(read.HasPrivateKey);
    }

    private static bool Chains(X509Certificate2 node, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime.AddDays(1);
        return chain.Build(node);
    }
}
