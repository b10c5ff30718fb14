using System.Text.Json.Serialization;

namespace Redoubt.Model;

/// <summary>The <c>apps.cozystack.io/v1alpha1 Redis</c> resource, as the user wrote it plus the status Redoubt reports.</summary>
public sealed class RedisResource
{
    public const string Group = "apps.cozystack.io";
    public const string Version = "v1alpha1";
    public const string ApiVersionValue = Group + "/" + Version;
    public const string KindValue = "Redis";

    public string ApiVersion { get; set; } = ApiVersionValue;
    public string Kind { get; set; } = KindValue;
    public ObjectMeta Metadata { get; set; } = new();
    public RedisSpec Spec { get; set; } = new();
    public RedisStatus? Status { get; set; }

    /// <summary>"namespace/name": the key a resource is known by on every platform. Derived, so never serialized.</summary>
    [JsonIgnore]
    public string Key => $"{Metadata.Namespace}/{Metadata.Name}";
}

public sealed class ObjectMeta
{
    public string Name { get; set; } = "";
    public string Namespace { get; set; } = "default";
    public long Generation { get; set; }
    public string? Uid { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    public Dictionary<string, string> Annotations { get; set; } = [];
}
