using System.Text.Json.Nodes;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// Turns a stored object into the model's resource through the model's own loader, so the operator applies
/// exactly the validation <c>redoubt apply</c> and <c>render</c> do (the CRD schema catches most of it earlier).
/// </summary>
public static class ResourceConversion
{
    public static LoadResult ToResource(RedisObject item)
    {
        var meta = item.Metadata;
        var document = new JsonObject
        {
            ["apiVersion"] = item.ApiVersion,
            ["kind"] = item.Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = meta.Name,
                ["namespace"] = meta.NamespaceProperty,
            },
            ["spec"] = item.Spec?.DeepClone() ?? new JsonObject(),
        };
        // JSON is YAML: the loader reads it as it reads a file.
        var result = ResourceLoader.Load(document.ToJsonString(), $"Redis {item.Key}");
        foreach (var resource in result.Resources)
        {
            resource.Metadata.Uid = meta.Uid;
            resource.Metadata.Generation = meta.Generation ?? 0;
            resource.Metadata.Labels = meta.Labels is null ? [] : new Dictionary<string, string>(meta.Labels);
            resource.Metadata.Annotations = meta.Annotations is null ? [] : new Dictionary<string, string>(meta.Annotations);
        }

        return result;
    }

    /// <summary>
    /// An object as the dashboard and the metrics show it: its spec as loaded (only its name and identity when the spec
    /// is invalid) and the status the operator wrote.
    /// </summary>
    public static RedisResource Shown(RedisObject item)
    {
        var load = ResourceConversion.ToResource(item);
        var resource = load.Resources.Count > 0 ? load.Resources[0] : new RedisResource
        {
            Metadata = new ObjectMeta { Name = item.Metadata.Name, Namespace = item.Metadata.NamespaceProperty, Generation = item.Metadata.Generation ?? 0, Uid = item.Metadata.Uid },
        };
        resource.Status = StatusJson.Read(item.Status);
        return resource;
    }
}
