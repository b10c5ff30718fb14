using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Redoubt.Core.Tls;

/// <summary>
/// How Redoubt's own connections check a node of a TLS resource: the server's certificate must chain to the
/// resource's CA (and to nothing else: the machine's trusted roots do not count) and name the address connected to.
/// </summary>
public sealed class ServerTrust
{
    private readonly X509Certificate2 _authority;

    public ServerTrust(X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _authority = authority;
        Thumbprint = authority.Thumbprint;
    }

    /// <summary>Tells two trusts apart without comparing certificates (a CA read again from its file is the same trust).</summary>
    public string Thumbprint { get; }

    public SslClientAuthenticationOptions OptionsFor(string host) => new()
    {
        TargetHost = host,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        CertificateChainPolicy = Policy(),
    };

    private X509ChainPolicy Policy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(_authority);
        return policy;
    }
}
