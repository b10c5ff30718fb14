using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Redoubt.Core.Tls;

namespace Redoubt.Core.Tests.Tls;

/// <summary>Redoubt's own connections accept a node only with a certificate its resource's CA signed for the address connected to.</summary>
public sealed class ServerTrustTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task ACertificateFromTheCaNamingTheAddressIsAccepted()
    {
        using var ca = CertificateAuthority.CreateAuthority("default/t", Now);
        using var node = CertificateAuthority.IssueNode(ca, NodeIdentity.For("redis-0", ["127.0.0.1"]), Now);

        await HandshakeAsync(node, new ServerTrust(ca));
    }

    [Fact]
    public async Task ACertificateForAnotherAddressIsRefused()
    {
        using var ca = CertificateAuthority.CreateAuthority("default/t", Now);
        using var node = CertificateAuthority.IssueNode(ca, NodeIdentity.For("redis-0", ["127.0.0.2"]), Now);

        await Assert.ThrowsAsync<AuthenticationException>(() => HandshakeAsync(node, new ServerTrust(ca)));
    }

    [Fact]
    public async Task WithoutTheAddressCheckACertificateFromTheCaForAnotherAddressIsAccepted()
    {
        using var ca = CertificateAuthority.CreateAuthority("default/t", Now);
        using var node = CertificateAuthority.IssueNode(ca, NodeIdentity.For("redis-0", ["127.0.0.2"]), Now);

        await HandshakeAsync(node, new ServerTrust(ca, checkAddress: false));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACertificateFromAnotherCaIsRefusedWithOrWithoutTheAddressCheck(bool checkAddress)
    {
        using var ca = CertificateAuthority.CreateAuthority("default/t", Now);
        using var other = CertificateAuthority.CreateAuthority("default/other", Now);
        using var node = CertificateAuthority.IssueNode(other, NodeIdentity.For("redis-0", ["127.0.0.1"]), Now);

        await Assert.ThrowsAsync<AuthenticationException>(() => HandshakeAsync(node, new ServerTrust(ca, checkAddress)));
    }

    /// <summary>A TLS server on loopback presenting <paramref name="serverCertificate"/>, and a client checking it with <paramref name="trust"/>.</summary>
    private static async Task HandshakeAsync(X509Certificate2 serverCertificate, ServerTrust trust)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        // A key made in memory must come back through PKCS#12 before SslStream on Linux can serve with it.
        using var served = X509CertificateLoader.LoadPkcs12(serverCertificate.Export(X509ContentType.Pkcs12), null);
        var server = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(deadline.Token);
            await using var stream = new SslStream(accepted.GetStream());
            try
            {
                await stream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = served }, deadline.Token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                // The client refused the certificate: what some of the tests expect.
            }
        }, deadline.Token);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        await using var secure = new SslStream(client.GetStream());
        try
        {
            await secure.AuthenticateAsClientAsync(trust.OptionsFor("127.0.0.1"), deadline.Token);
            Assert.True(secure.IsAuthenticated);
        }
        finally
        {
            client.Close();
            await server;
        }
    }
}
