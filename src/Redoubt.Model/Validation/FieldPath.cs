namespace Redoubt.Model;

/// <summary>Field paths as users see them in errors: <c>spec.sentinel.quorum</c>, <c>spec.zones[1]</c>, <c>metadata.labels[app]</c>.</summary>
internal static class FieldPath
{
    public static string Child(string parent, string field) => parent.Length == 0 ? field : $"{parent}.{field}";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>A map entry: <c>metadata.labels[app.kubernetes.io/name]</c>.</summary>
    public static string Key(string parent, string key) => $"{parent}[{Name(key)}]";

    /// <summary>Longer than this, a name in a path is quoted and cut like any bad value.</summary>
    private const int MaxPlainName = 80;

    /// <summary>
    /// A name as it appears in a path: quoted and escaped unless plain, so that a path is always one readable line,
    /// and cut when long (an unknown key of a hundred thousand characters must not come back whole in the error).
    /// </summary>
    public static string Name(string name) =>
        name.Length is > 0 and <= MaxPlainName && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')
            ? name
            : Show.Text(name);
}
