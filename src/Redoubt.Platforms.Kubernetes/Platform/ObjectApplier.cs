using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Redoubt.Platforms.Kubernetes.Platform;

/// <summary>
/// Server-side apply of generated objects under one field manager, forcing ownership of the fields Redoubt sets:
/// the API server merges, so fields others own (a Service's clusterIP, the pods' role labels) are left alone, and
/// an unchanged apply changes nothing. Objects go to the API version the server serves for their kind
/// (<see cref="ServerCapabilities"/>), through the untyped calls: a DELETE answers with the object or with a
/// <c>Status</c> depending on the kind and the server's version, and only untyped JSON reads both.
/// </summary>
public sealed class ObjectApplier(IKubernetes client, ServerCapabilities server)
{
    public const string FieldManager = "redoubt";

    public async Task ApplyAsync(IKubernetesObject<V1ObjectMeta> item, CancellationToken ct)
    {
        var (group, version, plural) = Resource(item.Kind);
        var body = JsonNode.Parse(KubernetesJson.Serialize(item))!;
        body["apiVersion"] = group.Length == 0 ? version : $"{group}/{version}";
        var patch = new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonNode>(
            patch, group, version, item.Metadata.NamespaceProperty, plural, item.Metadata.Name, fieldManager: FieldManager, force: true, cancellationToken: ct);
    }

    /// <summary>Deletes an object by kind and name; one that is already gone is fine.</summary>
    public async Task DeleteAsync(string kind, string @namespace, string name, CancellationToken ct)
    {
        var (group, version, plural) = Resource(kind);
        try
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync<JsonNode>(group, version, @namespace, plural, name, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>
    /// Deletes the object without a grace period, only if it is still the one with <paramref name="uid"/>; false when
    /// it is gone or was replaced (a new pod of the same name).
    /// </summary>
    public async Task<bool> DeleteNowAsync(string kind, string @namespace, string name, string uid, CancellationToken ct)
    {
        var (group, version, plural) = Resource(kind);
        var options = new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = uid } };
        try
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync<JsonNode>(group, version, @namespace, plural, name, options, cancellationToken: ct);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>Where the server keeps a kind Redoubt manages; the core group is "" (the client maps it to /api).</summary>
    private (string Group, string Version, string Plural) Resource(string kind) => kind switch
    {
        "ConfigMap" => ("", "v1", "configmaps"),
        "Service" => ("", "v1", "services"),
        "Secret" => ("", "v1", "secrets"),
        "Pod" => ("", "v1", "pods"),
        "StatefulSet" => ("apps", "v1", "statefulsets"),
        "Deployment" => ("apps", "v1", "deployments"),
        "PodDisruptionBudget" => ("policy", server.PodDisruptionBudgetVersion, "poddisruptionbudgets"),
        _ => throw new NotSupportedException($"Redoubt does not manage objects of kind {kind}"),
    };
}
