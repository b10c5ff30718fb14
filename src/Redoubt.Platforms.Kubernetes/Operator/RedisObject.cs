using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>A Redis custom object as the API server returns it: Kubernetes metadata, the spec and status as JSON.</summary>
public sealed class RedisObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Redoubt.Model.RedisResource.ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = Redoubt.Model.RedisResource.KindValue;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonObject? Spec { get; set; }

    [JsonPropertyName("status")]
    public JsonObject? Status { get; set; }

    [JsonIgnore]
    public string Key => $"{Metadata.NamespaceProperty}/{Metadata.Name}";
}

public sealed class RedisObjectList : IKubernetesObject<V1ListMeta>, IItems<RedisObject>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Redoubt.Model.RedisResource.ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "RedisList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<RedisObject> Items { get; set; } = [];
}
