using Microsoft.Extensions.Time.Testing;
using Redoubt.Core.Tls;

namespace Redoubt.Core.Tests.Tls;

public sealed class CertificateRenewalTests
{
    private static readonly NodeIdentity Node = NodeIdentity.For("redis-0", ["127.10.0.1"]);

    [Fact]
    public void AFreshCertificateIsKept()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        using var ca = CertificateAuthority.CreateAuthority("default/t", clock.GetUtcNow());
        using var node = CertificateAuthority.IssueNode(ca, Node, clock.GetUtcNow());

        Assert.Null(CertificateRenewal.WhyRenew(node, ca, Node, clock.GetUtcNow()));
    }

    [Fact]
    public void ACertificateIsRenewedThirtyDaysBeforeItExpiresAndNotADayEarlier()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        using var ca = CertificateAuthority.CreateAuthority("default/t", clock.GetUtcNow());
        using var node = CertificateAuthority.IssueNode(ca, Node, clock.GetUtcNow());

        clock.Advance(TimeSpan.FromDays(365 - 31));
        Assert.Null(CertificateRenewal.WhyRenew(node, ca, Node, clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromDays(1));
        Assert.StartsWith("it expires 2027-03-01", CertificateRenewal.WhyRenew(node, ca, Node, clock.GetUtcNow()), StringComparison.Ordinal);

        // The renewed one is good for another year from then.
        using var renewed = CertificateAuthority.IssueNode(ca, Node, clock.GetUtcNow());
        Assert.Null(CertificateRenewal.WhyRenew(renewed, ca, Node, clock.GetUtcNow()));
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddDays(365), renewed.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void AnExpiredCertificateIsRenewed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        using var ca = CertificateAuthority.CreateAuthority("default/t", clock.GetUtcNow());
        using var node = CertificateAuthority.IssueNode(ca, Node, clock.GetUtcNow());

        clock.Advance(TimeSpan.FromDays(400));

        Assert.NotNull(CertificateRenewal.WhyRenew(node, ca, Node, clock.GetUtcNow()));
    }

    [Fact]
    public void NoCertificateAnotherCasOrOneMissingAnAddressIsIssuedAgain()
    {
        var now = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        using var ca = CertificateAuthority.CreateAuthority("default/t", now);
        using var other = CertificateAuthority.CreateAuthority("default/other", now);
        using var foreign = CertificateAuthority.IssueNode(other, Node, now);
        using var node = CertificateAuthority.IssueNode(ca, Node, now);
        var moved = NodeIdentity.For("redis-0", ["127.10.0.1", "127.10.0.9", "redis-0.example"]);

        Assert.Equal("no certificate yet", CertificateRenewal.WhyRenew(null, ca, Node, now));
        Assert.Equal("it was not issued by the resource's CA", CertificateRenewal.WhyRenew(foreign, ca, Node, now));
        Assert.Equal("it does not name redis-0.example, 127.10.0.9", CertificateRenewal.WhyRenew(node, ca, moved, now));
    }
}
