using k8s.Models;
using Redoubt.Core.Planning;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Manifests;

public static class OwnerReferences
{
    /// <summary>
    /// The controller reference that lets the garbage collector remove what a resource owns. Null for a resource
    /// read from a file (render): without the uid the API server would reject the reference.
    /// </summary>
    public static V1OwnerReference? For(ResourcePlan plan) =>
        plan.Uid is null
            ? null
            : new V1OwnerReference
            {
                ApiVersion = RedisResource.ApiVersionValue,
                Kind = RedisResource.KindValue,
                Name = plan.Name,
                Uid = plan.Uid,
                Controller = true,
                BlockOwnerDeletion = true,
            };
}
