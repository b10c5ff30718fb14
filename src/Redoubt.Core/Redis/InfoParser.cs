using System.Globalization;

namespace Redoubt.Core.Redis;

/// <summary>Parses the text of INFO and the flat key/value arrays Sentinel replies with.</summary>
public static class InfoParser
{
    public static IReadOnlyDictionary<string, string> Parse(string info)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in info.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                values[line[..colon]] = line[(colon + 1)..];
            }
        }

        return values;
    }

    /// <summary>Fields of a replica line on the master: <c>slave0:ip=127.0.0.1,port=6380,state=online,offset=42,lag=0</c>.</summary>
    public static IReadOnlyDictionary<string, string> ParseFields(string value)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields[part[..eq]] = part[(eq + 1)..];
            }
        }

        return fields;
    }

    public static long Number(this IReadOnlyDictionary<string, string> values, string key, long fallback = 0) =>
        values.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public static string? Text(this IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text) ? text : null;
}
