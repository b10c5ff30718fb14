using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Redoubt.Core.Tls;

/// <summary>
/// How Redoubt's own connections check a node of a TLS resource: the server's certificate must chain to the
/// resource's CA (and to nothing else: the machine's trusted roots do not count) and, where the platform knows every
/// address before the node starts, name the address connected to.
/// </summary>
public sealed class ServerTrust
{
    private readonly X509Certificate2 _authority;
    private readonly bool _checkAddress;

    /// <param name="checkAddress">
    /// False where a node can run before its certificate names its address (a pod's IP is known only once it runs, and
    /// Sentinel pods of a Deployment never have one in theirs): the CA is the resource's own and signs its nodes only,
    /// so a certificate from it is one of the resource's nodes, and which node answers is what Redoubt asks it anyway.
    /// </param>
    public ServerTrust(X509Certificate2 authority, bool checkAddress = true)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _authority = authority;
        _checkAddress = checkAddress;
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
        RemoteCertificateValidationCallback = _checkAddress ? null : ChainedToTheAuthority,
    };

    private static bool ChainedToTheAuthority(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;

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
