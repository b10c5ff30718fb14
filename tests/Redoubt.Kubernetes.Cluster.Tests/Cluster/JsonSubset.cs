using System.Text.Json.Nodes;

namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>
/// Where an object the API server holds differs from what was rendered: every field rendered must be there with the
/// same value; fields the server adds (defaults, status, metadata) are fine. Lists compare item by item.
/// </summary>
internal static class JsonSubset
{
    public static List<string> Differences(JsonNode? expected, JsonNode? actual, string path = "")
    {
        var differences = new List<string>();
        Compare(expected, actual, path, differences);
        return differences;
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected)
        {
            case null:
                return;
            case JsonObject map:
                if (actual is not JsonObject actualMap)
                {
                    differences.Add($"{path}: expected an object, found {Describe(actual)}");
                    return;
                }

                foreach (var (key, value) in map)
                {
                    Compare(value, actualMap[key], $"{path}.{key}", differences);
                }

                return;
            case JsonArray list:
                if (actual is not JsonArray actualList || actualList.Count != list.Count)
                {
                    differences.Add($"{path}: expected {list.Count} items, found {Describe(actual)}");
                    return;
                }

                for (var i = 0; i < list.Count; i++)
                {
                    Compare(list[i], actualList[i], $"{path}[{i}]", differences);
                }

                return;
            default:
                if (actual is null || !Same(expected, actual))
                {
                    differences.Add($"{path}: expected {expected.ToJsonString()}, found {Describe(actual)}");
                }

                return;
        }
    }

    // YAML's integers and the server's JSON numbers are the same value whatever their CLR types.
    private static bool Same(JsonNode expected, JsonNode actual) =>
        expected.ToJsonString() == actual.ToJsonString()
        || (double.TryParse(expected.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var a)
            && double.TryParse(actual.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var b) && a == b);

    private static string Describe(JsonNode? node) => node is null ? "nothing" : node.ToJsonString();
}
