using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Redoubt.Core.Tls;

/// <summary>
/// The certificate authority of one resource and the node certificates it issues: ECDSA P-256, made with
/// <see cref="CertificateRequest"/> alone. Each resource has its own CA, so trusting one resource's CA trusts
/// nothing else. Node certificates carry the node's addresses as subject alternative names (clients check them) and
/// are good for both ends of a connection: a replica and a Sentinel present theirs when they connect to a node.
/// </summary>
public static class CertificateAuthority
{
    /// <summary>How long a CA is valid. Renewing a CA means every client trusting the new one first; it is not done.</summary>
    public static readonly TimeSpan CaValidity = TimeSpan.FromDays(3650);

    /// <summary>How long a node certificate is valid; it is renewed well before (see <see cref="CertificateRenewal"/>).</summary>
    public static readonly TimeSpan NodeValidity = TimeSpan.FromDays(365);

    // Certificates are valid from a little before they are made: clocks of the machines that check them may lag.
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    public static X509Certificate2 CreateAuthority(string resourceKey, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN=Redoubt CA {Sanitize(resourceKey)}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(now - Backdate, now + CaValidity);
    }

    /// <summary>A certificate for one node, with its private key, signed by <paramref name="authority"/> (which must hold its key).</summary>
    public static X509Certificate2 IssueNode(X509Certificate2 authority, NodeIdentity node, DateTimeOffset now, TimeSpan? validity = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(node);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Sanitize(node.CommonName)}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in node.DnsNames)
        {
            names.AddDnsName(dns);
        }

        foreach (var ip in node.Addresses)
        {
            names.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(names.Build(critical: false));
        var notAfter = now + (validity ?? NodeValidity);
        if (notAfter > authority.NotAfter)
        {
            notAfter = authority.NotAfter;
        }

        using var issued = request.Create(authority, now - Backdate, notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The certificate in PEM, as redis.conf's tls-cert-file and tls-ca-cert-file read it.</summary>
    public static string CertificatePem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>The private key in PKCS#8 PEM, as tls-key-file reads it; for files of mode 0600 and Secrets only.</summary>
    public static string PrivateKeyPem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException($"{certificate.Subject} has no ECDSA private key");
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    /// <summary>A certificate and its key from PEM text (a CA to issue with, or a node's pair to inspect).</summary>
    public static X509Certificate2 FromPem(string certificatePem, string? keyPem = null) =>
        keyPem is null ? X509Certificate2.CreateFromPem(certificatePem) : X509Certificate2.CreateFromPem(certificatePem, keyPem);

    /// <summary>Subject names are for people reading them; only letters, digits and a few separators get in.</summary>
    private static string Sanitize(string text) =>
        new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '/' or ' ' ? c : '-')]);
}

/// <summary>Who a node certificate is for: a name for people, and every address clients may use to reach the node.</summary>
public sealed record NodeIdentity(string CommonName, IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>An address as a platform gives it (an IP or a DNS name) goes into the matching list.</summary>
    public static NodeIdentity For(string commonName, IEnumerable<string> addresses)
    {
        var dns = new List<string>();
        var ips = new List<IPAddress>();
        foreach (var address in addresses.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(address, out var ip))
            {
                ips.Add(ip);
            }
            else
            {
                dns.Add(address);
            }
        }

        return new NodeIdentity(commonName, dns, ips);
    }
}
