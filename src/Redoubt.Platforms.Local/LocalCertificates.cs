using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Redoubt.Core;
using Redoubt.Core.Planning;
using Redoubt.Core.Tls;

namespace Redoubt.Platforms.Local;

/// <summary>
/// The certificates of a TLS resource, as files in its folder: the CA (<c>ca.crt</c>, key <c>ca.key</c>), created once,
/// and each node's certificate and key (<c>tls.crt</c>, <c>tls.key</c> in the node's folder), issued for the node's
/// zone address and issued again when <see cref="CertificateRenewal"/> says so. Every file is written with mode 0600, certificates too,
/// like every other file of a resource: a client run by another user gets a copy of <c>ca.crt</c>.
/// </summary>
internal static class LocalCertificates
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static ServerTrust EnsureAuthority(ResourcePlan plan, ResourceFolder folder, DateTimeOffset now)
    {
        using var authority = Authority(plan, folder, now);
        return new ServerTrust(X509CertificateLoader.LoadCertificate(authority.RawData));
    }

    /// <summary>The node's files, its certificate issued first when it has none or must be renewed (<paramref name="issued"/> says why).</summary>
    /// <param name="hosts">The addresses clients reach the node at: its own, and for a Redis node the master endpoint's.</param>
    public static TlsFiles EnsureNode(ResourcePlan plan, ResourceFolder folder, string node, IEnumerable<string> hosts, DateTimeOffset now, out string? issued)
    {
        using var authority = Authority(plan, folder, now);
        using var current = Load(folder.CertificateFile(node));
        var wanted = NodeIdentity.For(node, hosts);
        issued = CertificateRenewal.WhyRenew(current, authority, wanted, now);
        if (issued is null)
        {
            return FilesOf(folder, node, current!);
        }

        using var certificate = CertificateAuthority.IssueNode(authority, wanted, now);
        // The key first: a node that reads both between the two writes fails to start and is started again, never serves a
        // certificate with a key that does not match.
        AtomicFile.Write(folder.KeyFile(node), CertificateAuthority.PrivateKeyPem(certificate), Private);
        AtomicFile.Write(folder.CertificateFile(node), CertificateAuthority.CertificatePem(certificate), Private);
        return FilesOf(folder, node, certificate);
    }

    /// <summary>The node's files as they are, creating nothing (a read-only check); null when it has no certificate yet.</summary>
    public static TlsFiles? Stored(ResourceFolder folder, string node)
    {
        using var current = Load(folder.CertificateFile(node));
        return current is null ? null : FilesOf(folder, node, current);
    }

    private static TlsFiles FilesOf(ResourceFolder folder, string node, X509Certificate2 certificate) =>
        new(folder.CertificateFile(node), folder.KeyFile(node), folder.AuthorityFile) { Issued = certificate.GetCertHashString(HashAlgorithmName.SHA256) };

    private static X509Certificate2 Authority(ResourcePlan plan, ResourceFolder folder, DateTimeOffset now)
    {
        var certificatePem = AtomicFile.ReadOrNull(folder.AuthorityFile);
        var keyPem = AtomicFile.ReadOrNull(folder.AuthorityKeyFile);
        if (certificatePem is not null && keyPem is not null)
        {
            try
            {
                return CertificateAuthority.FromPem(certificatePem, keyPem);
            }
            catch (CryptographicException e)
            {
                throw new RedoubtException($"{plan.Key}: the CA in {folder.AuthorityFile} (key {folder.AuthorityKeyFile}) cannot be read: {e.Message}. Restore both files; removing them makes a new CA that clients do not trust yet");
            }
        }

        if (certificatePem is not null || keyPem is not null)
        {
            throw new RedoubtException($"{plan.Key}: {(certificatePem is null ? folder.AuthorityFile : folder.AuthorityKeyFile)} is missing beside {(certificatePem is null ? folder.AuthorityKeyFile : folder.AuthorityFile)}; restore it, or remove both to make a new CA (clients must then trust the new ca.crt)");
        }

        var created = CertificateAuthority.CreateAuthority(plan.Key, now);
        AtomicFile.Write(folder.AuthorityKeyFile, CertificateAuthority.PrivateKeyPem(created), Private);
        AtomicFile.Write(folder.AuthorityFile, CertificateAuthority.CertificatePem(created), Private);
        return created;
    }

    private static X509Certificate2? Load(string file)
    {
        if (AtomicFile.ReadOrNull(file) is not { } pem)
        {
            return null;
        }

        try
        {
            return CertificateAuthority.FromPem(pem);
        }
        catch (CryptographicException)
        {
            // Damaged: issued again.
            return null;
        }
    }
}
