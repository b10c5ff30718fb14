using k8s.Models;
using Redoubt.Core.Planning;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// The Secrets of a TLS resource. <c>redis-&lt;name&gt;-tls</c>, mounted by the pods: <c>ca.crt</c>, each Redis pod's
/// <c>&lt;pod&gt;.crt</c> / <c>&lt;pod&gt;.key</c> and the Sentinels' <c>sentinel.crt</c> / <c>sentinel.key</c>.
/// <c>redis-&lt;name&gt;-tls-ca</c>: the CA's certificate and key, read by the operator alone. The operator creates the CA
/// once and issues (and renews) the certificates; <c>render</c> shows both Secrets empty, as it shows the auth Secret.
/// </summary>
public static class TlsSecrets
{
    public const string AuthorityKey = "ca.crt";
    public const string AuthorityPrivateKey = "ca.key";
    public const string SentinelCertificateKey = "sentinel.crt";
    public const string SentinelKeyKey = "sentinel.key";
    public const string VolumeName = "tls";

    public static string CertificateKeyOf(string pod) => $"{pod}.crt";

    public static string PrivateKeyOf(string pod) => $"{pod}.key";

    public static IReadOnlyList<V1Secret> Build(ResourcePlan plan, ObjectNames names) =>
        plan.Spec.TlsEnabled ? [Empty(plan, names, names.TlsAuthoritySecret), Empty(plan, names, names.TlsSecret)] : [];

    /// <summary>
    /// The names a Redis pod is reached by: its own DNS name under the headless Service, the master and replica Services
    /// (clients of either may land on it), and localhost for a sidecar. The pod's IP is added once it has one.
    /// </summary>
    public static IReadOnlyList<string> RedisPodNames(ResourcePlan plan, ObjectNames names, string pod) =>
    [
        .. Forms($"{pod}.{names.RedisHeadlessService}", plan.Namespace),
        .. Forms(names.MasterService, plan.Namespace),
        .. Forms(names.ReplicaService, plan.Namespace),
        .. plan.Spec.External ? Forms(names.ExternalService, plan.Namespace) : [],
        "localhost",
        "127.0.0.1",
    ];

    /// <summary>The names the Sentinels are reached by: their Service, and localhost.</summary>
    public static IReadOnlyList<string> SentinelNames(ResourcePlan plan, ObjectNames names) =>
        [.. Forms(names.SentinelService, plan.Namespace), "localhost", "127.0.0.1"];

    private static IEnumerable<string> Forms(string name, string @namespace) =>
        [name, $"{name}.{@namespace}", $"{name}.{@namespace}.svc", $"{name}.{@namespace}.svc.cluster.local"];

    /// <summary>The Secret a Redis pod mounts, whole: its peers' keys are in the same trust as its own (they replicate from each other).</summary>
    public static V1Volume RedisVolume(ObjectNames names) => new()
    {
        Name = VolumeName,
        Secret = new V1SecretVolumeSource { SecretName = names.TlsSecret, DefaultMode = 288 },
    };

    /// <summary>A Sentinel pod sees the CA and the Sentinels' certificate and key only.</summary>
    public static V1Volume SentinelVolume(ObjectNames names) => new()
    {
        Name = VolumeName,
        Secret = new V1SecretVolumeSource
        {
            SecretName = names.TlsSecret,
            Items = [new V1KeyToPath { Key = AuthorityKey, Path = AuthorityKey }, new V1KeyToPath { Key = SentinelCertificateKey, Path = SentinelCertificateKey }, new V1KeyToPath { Key = SentinelKeyKey, Path = SentinelKeyKey }],
            // Readable by the redis group (fsGroup) only.
            DefaultMode = 288,
        },
    };

    public static V1VolumeMount Mount() => new() { Name = VolumeName, MountPath = ConfigFiles.TlsDirectory, ReadOnlyProperty = true };

    private static V1Secret Empty(ResourcePlan plan, ObjectNames names, string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = ObjectMetadata.Create(name, plan.Namespace, Labels.Common(names), OwnerReferences.For(plan)),
        Type = "Opaque",
    };
}
