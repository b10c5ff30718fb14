using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Redoubt.Core;
using Redoubt.Core.Planning;
using Redoubt.Core.Tls;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Platform;

/// <summary>
/// The certificates of a TLS resource in its Secrets (see <see cref="TlsSecrets"/>): the CA created once, every Redis
/// pod's certificate issued for its names and, once it has one, its pod IP (Sentinels hand clients the pods' IPs), the
/// Sentinels' for their Service; each issued again when <see cref="CertificateRenewal"/> says so.
/// </summary>
public sealed class CertificateStore(IKubernetes client, TimeProvider time)
{
    /// <summary>The CA, created on first use; its key never leaves the CA Secret and the operator.</summary>
    public async Task<X509Certificate2> AuthorityAsync(ResourcePlan plan, ObjectNames names, CancellationToken ct)
    {
        if (await client.ReadSecretOrNullAsync(plan.Namespace, names.TlsAuthoritySecret, ct) is not { } secret)
        {
            using var created = CertificateAuthority.CreateAuthority(plan.Key, time.GetUtcNow());
            var data = new Dictionary<string, string>
            {
                [TlsSecrets.AuthorityKey] = CertificateAuthority.CertificatePem(created),
                [TlsSecrets.AuthorityPrivateKey] = CertificateAuthority.PrivateKeyPem(created),
            };
            var build = TlsSecrets.Build(plan, names).Single(s => s.Metadata.Name == names.TlsAuthoritySecret);
            build.StringData = data;
            try
            {
                await client.CoreV1.CreateNamespacedSecretAsync(build, plan.Namespace, cancellationToken: ct);
                return CertificateAuthority.FromPem(data[TlsSecrets.AuthorityKey], data[TlsSecrets.AuthorityPrivateKey]);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Created by another operator since the read: theirs wins.
                secret = await client.ReadSecretOrNullAsync(plan.Namespace, names.TlsAuthoritySecret, ct);
            }
        }

        try
        {
            return CertificateAuthority.FromPem(Read(secret!, TlsSecrets.AuthorityKey) ?? "", Read(secret!, TlsSecrets.AuthorityPrivateKey) ?? "");
        }
        catch (CryptographicException e)
        {
            throw new RedoubtException($"{plan.Key}: Secret {plan.Namespace}/{names.TlsAuthoritySecret} does not hold a readable CA (keys {TlsSecrets.AuthorityKey}, {TlsSecrets.AuthorityPrivateKey}): {e.Message}. Restore it; deleting it makes a new CA that clients do not trust yet");
        }
    }

    /// <summary>
    /// Issues what is missing or due in the certificates Secret and returns each node's certificate thumbprint (Redis
    /// pods by name, the Sentinels under <see cref="TlsSecrets.SentinelCertificateKey"/>).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> EnsureNodesAsync(ResourcePlan plan, ObjectNames names, IReadOnlyDictionary<string, string> podIps, CancellationToken ct)
    {
        using var authority = await AuthorityAsync(plan, names, ct);
        var secret = await client.ReadSecretOrNullAsync(plan.Namespace, names.TlsSecret, ct);
        var now = time.GetUtcNow();
        var changed = new Dictionary<string, string>();
        var issued = new Dictionary<string, string>(StringComparer.Ordinal);
        var authorityPem = CertificateAuthority.CertificatePem(authority);
        if (secret is null || Read(secret, TlsSecrets.AuthorityKey) != authorityPem)
        {
            changed[TlsSecrets.AuthorityKey] = authorityPem;
        }

        void Ensure(string node, string certificateKey, string privateKey, IEnumerable<string> addresses)
        {
            using var current = Parse(secret is null ? null : Read(secret, certificateKey));
            var wanted = NodeIdentity.For(node, addresses);
            if (CertificateRenewal.WhyRenew(current, authority, wanted, now) is null)
            {
                issued[node] = current!.GetCertHashString(HashAlgorithmName.SHA256);
                return;
            }

            using var certificate = CertificateAuthority.IssueNode(authority, wanted, now);
            changed[certificateKey] = CertificateAuthority.CertificatePem(certificate);
            changed[privateKey] = CertificateAuthority.PrivateKeyPem(certificate);
            issued[node] = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        }

        // By the StatefulSet's pod names, whatever names the plan was made with.
        foreach (var pod in plan.RedisNodes.Select(n => names.RedisPod(n.Ordinal)))
        {
            var addresses = TlsSecrets.RedisPodNames(plan, names, pod).Concat(podIps.TryGetValue(pod, out var ip) ? [ip] : []);
            Ensure(pod, TlsSecrets.CertificateKeyOf(pod), TlsSecrets.PrivateKeyOf(pod), addresses);
        }

        Ensure(TlsSecrets.SentinelCertificateKey, TlsSecrets.SentinelCertificateKey, TlsSecrets.SentinelKeyKey, TlsSecrets.SentinelNames(plan, names));
        if (secret is null)
        {
            var build = TlsSecrets.Build(plan, names).Single(s => s.Metadata.Name == names.TlsSecret);
            build.StringData = changed;
            await client.CoreV1.CreateNamespacedSecretAsync(build, plan.Namespace, cancellationToken: ct);
        }
        else if (changed.Count > 0)
        {
            await client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(new V1Secret { StringData = changed }, V1Patch.PatchType.MergePatch), names.TlsSecret, plan.Namespace, cancellationToken: ct);
        }

        return issued;
    }

    private static X509Certificate2? Parse(string? pem)
    {
        if (pem is null)
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

    private static string? Read(V1Secret secret, string key) =>
        secret.Data?.TryGetValue(key, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : (secret.StringData?.TryGetValue(key, out var text) == true ? text : null);
}
