using k8s.Models;

namespace Redoubt.Platforms.Kubernetes.Manifests;

internal static class ObjectMetadata
{
    public static V1ObjectMeta Create(string name, string @namespace, Dictionary<string, string> labels, V1OwnerReference? owner) => new()
    {
        Name = name,
        NamespaceProperty = @namespace,
        Labels = labels,
        OwnerReferences = owner is null ? null : [owner],
    };
}
