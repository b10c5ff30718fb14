using System.Text.Json.Nodes;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// Whether a new status is worth a write. Pure. Replication offsets and lag move with every write clients make;
/// writing them each pass would load the API server for nothing, so a change of those alone waits for the refresh
/// period, while anything else (phase, master, roles, health, conditions, events) is written at once.
/// </summary>
public static class StatusChange
{
    public enum Kind { None, Minor, Significant }

    public static Kind Compare(JsonObject? stored, JsonObject wanted)
    {
        if (stored is not null && JsonNode.DeepEquals(Normalize(stored, keepOffsets: true), Normalize(wanted, keepOffsets: true)))
        {
            return Kind.None;
        }

        return stored is not null && JsonNode.DeepEquals(Normalize(stored, keepOffsets: false), Normalize(wanted, keepOffsets: false))
            ? Kind.Minor
            : Kind.Significant;
    }

    /// <summary>Nulls dropped (the server stores none) and, unless kept, the moving replication figures.</summary>
    private static JsonNode? Normalize(JsonNode? node, bool keepOffsets)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    if (value is null || (!keepOffsets && name is "replicationOffset" or "lagBytes"))
                    {
                        continue;
                    }

                    copy[name] = Normalize(value, keepOffsets);
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => Normalize(item, keepOffsets))]);
            default:
                return node?.DeepClone();
        }
    }
}
