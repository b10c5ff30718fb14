using System.Text.Json.Serialization;
using Redoubt.Model;

namespace Redoubt.Output;

/// <summary>One event of one resource, as `events` lists it and `events -o json` writes it.</summary>
public sealed record ResourceEvent(
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("message")] string Message)
{
    public const string Warning = "Warning";

    [JsonIgnore]
    public string Resource => $"{Namespace}/{Name}";

    /// <summary>Every event of <paramref name="resources"/>, oldest first.</summary>
    public static IReadOnlyList<ResourceEvent> Of(IEnumerable<RedisResource> resources) =>
        [.. resources
            .SelectMany(resource => (resource.Status?.Events ?? []).Select(statusEvent => new ResourceEvent(
                statusEvent.Time, resource.Metadata.Namespace, resource.Metadata.Name, statusEvent.Type, statusEvent.Reason, statusEvent.Message)))
            .OrderBy(resourceEvent => resourceEvent.Time)
            .ThenBy(resourceEvent => resourceEvent.Resource, StringComparer.Ordinal)];
}
