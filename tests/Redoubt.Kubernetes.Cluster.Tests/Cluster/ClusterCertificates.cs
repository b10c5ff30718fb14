using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>
/// A certificate authority of the test cluster's own, the API server's serving certificate (valid for 127.0.0.1 and
/// the in-cluster names) and the service-account signing key, written as PEM files readable by their owner only.
/// </summary>
internal sealed class ClusterCertificates
{
    private ClusterCertificates(string directory)
    {
        CaCertificate = Path.Combine(directory, "ca.crt");
        ServingCertificate = Path.Combine(directory, "apiserver.crt");
        ServingKey = Path.Combine(directory, "apiserver.key");
        ServiceAccountKey = Path.Combine(directory, "service-account.key");
    }

    public string CaCertificate { get; }
    public string ServingCertificate { get; }
    public string ServingKey { get; }
    public string ServiceAccountKey { get; }

    /// <summary>The CA certificate's PEM text, for kubeconfig files and HTTP clients.</summary>
    public string CaPem => File.ReadAllText(CaCertificate);

    public static ClusterCertificates Create(string directory, IPAddress serviceAddress)
    {
        var certificates = new ClusterCertificates(directory);
        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(7);

        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=redoubt-test-cluster-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var servingKey = RSA.Create(2048);
        var servingRequest = new CertificateRequest("CN=kube-apiserver", servingKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(serviceAddress);
        foreach (var dns in new[] { "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local" })
        {
            names.AddDnsName(dns);
        }

        servingRequest.CertificateExtensions.Add(names.Build());
        servingRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        servingRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        servingRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var serving = servingRequest.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));

        using var serviceAccountKey = RSA.Create(2048);

        WritePrivate(certificates.CaCertificate, ca.ExportCertificatePem());
        WritePrivate(certificates.ServingCertificate, serving.ExportCertificatePem());
        WritePrivate(certificates.ServingKey, servingKey.ExportRSAPrivateKeyPem());
        WritePrivate(certificates.ServiceAccountKey, serviceAccountKey.ExportRSAPrivateKeyPem());
        return certificates;
    }

    /// <summary>Trusts exactly this cluster's CA, for clients that talk to the API server directly.</summary>
    public bool Validate(X509Certificate2? certificate, X509Chain? chain)
    {
        if (certificate is null || chain is null)
        {
            return false;
        }

        using var ca = X509Certificate2.CreateFromPem(CaPem);
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        return chain.Build(certificate);
    }

    public static void WritePrivate(string path, string text)
    {
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, text);
    }
}
