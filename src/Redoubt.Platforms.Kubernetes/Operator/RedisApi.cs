using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Crd;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>The few calls the operator makes on Redis objects, through KubernetesClient's custom-object API.</summary>
public sealed class RedisApi(IKubernetes client)
{
    private const string Group = RedisResource.Group;
    private const string Version = RedisResource.Version;
    private const string Plural = CrdGenerator.Plural;

    public async Task<RedisObject?> GetAsync(string @namespace, string name, CancellationToken ct)
    {
        try
        {
            using var response = await client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<RedisObject>(
                Group, Version, @namespace, Plural, name, cancellationToken: ct);
            return response.Body;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<(IList<RedisObject> Items, string ResourceVersion)> ListAsync(string? @namespace, CancellationToken ct)
    {
        using var response = @namespace is null
            ? await client.CustomObjects.ListCustomObjectForAllNamespacesWithHttpMessagesAsync<RedisObjectList>(Group, Version, Plural, cancellationToken: ct)
            : await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<RedisObjectList>(Group, Version, @namespace, Plural, cancellationToken: ct);
        return (response.Body.Items, response.Body.Metadata.ResourceVersion);
    }

    public async IAsyncEnumerable<(WatchEventType, RedisObject)> WatchAsync(string? @namespace, string resourceVersion, TimeSpan timeout, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var seconds = (int)timeout.TotalSeconds;
        var events = @namespace is null
            ? client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(
                Group, Version, Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: onError, cancellationToken: ct)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                Group, Version, @namespace, Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: onError, cancellationToken: ct);
        await foreach (var (type, item) in events)
        {
            // The custom-object watch is untyped: each object arrives as JSON.
            var json = item is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(item);
            yield return (type, KubernetesJson.Deserialize<RedisObject>(json));
        }
    }

    /// <summary>Sets the finalizers, failing with a conflict when the object changed since it was read.</summary>
    public async Task<RedisObject> SetFinalizersAsync(RedisObject item, IList<string> finalizers, CancellationToken ct)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => JsonValue.Create(f))]),
                ["resourceVersion"] = item.Metadata.ResourceVersion,
            },
        };
        using var response = await client.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<RedisObject>(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Group, Version, item.Metadata.NamespaceProperty, Plural, item.Metadata.Name, cancellationToken: ct);
        return response.Body;
    }

    /// <summary>
    /// Sets one annotation, as <c>kubectl annotate --overwrite</c> does: a merge patch without a resourceVersion, so it
    /// neither conflicts with nor undoes the controller's own writes. Null when there is no such object.
    /// </summary>
    public async Task<RedisObject?> AnnotateAsync(string @namespace, string name, string key, string value, CancellationToken ct)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } };
        try
        {
            using var response = await client.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<RedisObject>(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Group, Version, @namespace, Plural, name, cancellationToken: ct);
            return response.Body;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Writes the status through the status subresource: a merge patch, so nothing but status can change.</summary>
    public async Task<RedisObject> PatchStatusAsync(RedisObject item, JsonObject status, CancellationToken ct)
    {
        var patch = new JsonObject { ["status"] = status };
        using var response = await client.CustomObjects.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync<RedisObject>(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Group, Version, item.Metadata.NamespaceProperty, Plural, item.Metadata.Name, cancellationToken: ct);
        return response.Body;
    }

    public static JsonObject StatusToJson(RedisStatus status) =>
        JsonSerializer.SerializeToNode(status, StatusJson.Options)!.AsObject();
}
