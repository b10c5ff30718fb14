using System.Text.RegularExpressions;

namespace Redoubt.Model;

/// <summary>
/// Kubernetes' name grammars. They double as the injection guard for every name that reaches a config file or a
/// command: none of them admits whitespace, quotes, backslashes or line breaks. \A and \z, never ^ and $, which
/// would accept a trailing newline.
/// </summary>
internal static partial class KubernetesNames
{
    public const int MaxLabelLength = 63;
    public const int MaxSubdomainLength = 253;

    public const string Dns1035LabelRule = "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";
    public const string Dns1123LabelRule = "lowercase letters, digits and '-', starting and ending with a letter or digit";
    public const string Dns1123SubdomainRule = "lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit";

    /// <summary>Resource names: Services are named after them, and Service names must be DNS-1035 labels.</summary>
    public static bool IsDns1035Label(string value, int maxLength) => value.Length <= maxLength && Dns1035Label().IsMatch(value);

    public static bool IsDns1123Label(string value) => value.Length <= MaxLabelLength && Dns1123Label().IsMatch(value);

    public static bool IsDns1123Subdomain(string value) => value.Length <= MaxSubdomainLength && Dns1123Subdomain().IsMatch(value);

    /// <summary>Label and annotation keys: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static bool IsQualifiedName(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? value : value[(slash + 1)..];
        return (slash < 0 || IsDns1123Subdomain(value[..slash]))
            && name.Length <= MaxLabelLength
            && LabelName().IsMatch(name);
    }

    public static bool IsLabelValue(string value) =>
        value.Length == 0 || (value.Length <= MaxLabelLength && LabelName().IsMatch(value));

    [GeneratedRegex(@"\A[a-z]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035Label();

    [GeneratedRegex(@"\A[a-z0-9]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"\A[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex(@"\A[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelName();
}
