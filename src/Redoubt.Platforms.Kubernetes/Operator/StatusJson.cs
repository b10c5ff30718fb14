using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// The status as the CRD stores it: camelCase like the rest of the model, nulls written out so that a merge patch
/// removes a field that is no longer known (a master that is gone) instead of leaving the old value.
/// </summary>
internal static class StatusJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The stored status; null when there is none or this version cannot read it.</summary>
    public static RedisStatus? Read(JsonObject? status)
    {
        try
        {
            return status?.Deserialize<RedisStatus>(Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
