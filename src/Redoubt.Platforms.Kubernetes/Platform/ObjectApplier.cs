using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Redoubt.Platforms.Kubernetes.Platform;

/// <summary>
/// Server-side apply of generated objects under one field manager, forcing ownership of the fields Redoubt sets:
/// the API server merges, so fields others own (a Service's clusterIP, the pods' role labels) are left alone, and
/// an unchanged apply changes nothing.
/// </summary>
public sealed class ObjectApplier(IKubernetes client)
{
    public const string FieldManager = "redoubt";

    public async Task ApplyAsync(IKubernetesObject<V1ObjectMeta> item, CancellationToken ct)
    {
        var ns = item.Metadata.NamespaceProperty;
        var name = item.Metadata.Name;
        var patch = new V1Patch(item, V1Patch.PatchType.ApplyPatch);
        _ = item switch
        {
            V1ConfigMap => await client.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct) as object,
            V1Service => await client.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1Secret => await client.CoreV1.PatchNamespacedSecretAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1StatefulSet => await client.AppsV1.PatchNamespacedStatefulSetAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1Deployment => await client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            V1PodDisruptionBudget => await client.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            _ => throw new NotSupportedException($"Redoubt does not apply objects of kind {item.Kind}"),
        };
    }

    /// <summary>Deletes an object by kind and name; one that is already gone is fine.</summary>
    public async Task DeleteAsync(string kind, string @namespace, string name, CancellationToken ct)
    {
        try
        {
            _ = kind switch
            {
                "ConfigMap" => await client.CoreV1.DeleteNamespacedConfigMapAsync(name, @namespace, cancellationToken: ct) as object,
                "Service" => await client.CoreV1.DeleteNamespacedServiceAsync(name, @namespace, cancellationToken: ct),
                "Secret" => await client.CoreV1.DeleteNamespacedSecretAsync(name, @namespace, cancellationToken: ct),
                "StatefulSet" => await client.AppsV1.DeleteNamespacedStatefulSetAsync(name, @namespace, cancellationToken: ct),
                "Deployment" => await client.AppsV1.DeleteNamespacedDeploymentAsync(name, @namespace, cancellationToken: ct),
                "PodDisruptionBudget" => await client.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync(name, @namespace, cancellationToken: ct),
                "Pod" => await client.CoreV1.DeleteNamespacedPodAsync(name, @namespace, cancellationToken: ct),
                _ => throw new NotSupportedException($"Redoubt does not delete objects of kind {kind}"),
            };
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
