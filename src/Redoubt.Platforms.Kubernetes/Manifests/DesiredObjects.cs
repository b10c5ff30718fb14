using k8s;
using k8s.Models;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// Everything the operator keeps in place for one resource. <see cref="Applied"/> is applied on every pass, in an
/// order where nothing references an object that does not exist yet. The auth Secret is apart: it is created once
/// and never overwritten (its password is the users'), and <see cref="Obsolete"/> names what must go.
/// </summary>
public sealed record DesiredObjects
{
    public required ObjectNames Names { get; init; }
    public required V1Secret? AuthSecret { get; init; }

    /// <summary>For a TLS resource, its CA and certificate Secrets (empty here: the operator fills them, see <see cref="TlsSecrets"/>).</summary>
    public IReadOnlyList<V1Secret> TlsSecrets { get; init; } = [];
    public required IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Applied { get; init; }

    /// <summary>Objects an earlier spec wanted and this one does not (kind, name): the external Service, the auth Secret.</summary>
    public required IReadOnlyList<(string Kind, string Name)> Obsolete { get; init; }
}
