namespace Redoubt.Web.Dashboard;

/// <summary>How a zone is shown: the default zones by their town's name (<c>geneve</c> is Genève), others capitalised.</summary>
public static class ZoneLabel
{
    private static readonly Dictionary<string, string> Towns = new(StringComparer.Ordinal)
    {
        ["gland"] = "Gland",
        ["lucerne"] = "Lucerne",
        ["geneve"] = "Genève",
    };

    public static string Of(string zone) =>
        Towns.TryGetValue(zone, out var town) ? town
        : zone.Length == 0 ? "(no zone)"
        : char.ToUpperInvariant(zone[0]) + zone[1..];
}
