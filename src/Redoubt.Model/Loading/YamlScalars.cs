using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Redoubt.Model;

internal enum ScalarKind { Null, Bool, Int, Float, String }

/// <summary>
/// What a scalar means under the YAML 1.2 core schema, the one JSON is a subset of: quoted means string; plain
/// <c>true</c> is a boolean, <c>3</c> an integer, <c>~</c> null. YAML 1.1's <c>yes</c>/<c>on</c> are strings here,
/// and a boolean field rejects them rather than guessing.
/// </summary>
internal static partial class YamlScalars
{
    private const string StringTag = "tag:yaml.org,2002:str";

    public static ScalarKind KindOf(YamlScalarNode node)
    {
        if (node.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any)
            || node.Tag.IsNonSpecific
            || (!node.Tag.IsEmpty && node.Tag.Value == StringTag))
        {
            return ScalarKind.String;
        }

        return KindOfPlain(node.Value ?? "");
    }

    public static ScalarKind KindOfPlain(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
        "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ScalarKind.Bool,
        _ when Integer().IsMatch(text) => ScalarKind.Int,
        _ when Float().IsMatch(text) => ScalarKind.Float,
        _ => ScalarKind.String,
    };

    public static bool IsNull(YamlNode node) => node is YamlScalarNode scalar && KindOf(scalar) == ScalarKind.Null;

    /// <summary>Base 10 only: the octal and hexadecimal forms are integers to YAML but no field here wants them.</summary>
    public static bool IsDecimalInteger(string text) => DecimalInteger().IsMatch(text);

    public static bool ParseBool(string text) => text is "true" or "True" or "TRUE";

    [GeneratedRegex(@"\A([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    [GeneratedRegex(@"\A[-+]?[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"\A([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Float();
}
