using System.Globalization;
using System.Text;

namespace Redoubt.Model.Tests.HostileInput;

/// <summary>Writes any string as a YAML scalar, the way a hostile file could.</summary>
internal static class YamlText
{
    /// <summary>
    /// Double-quoted with escapes, which can carry every character: control characters, NUL, line breaks and lone
    /// surrogate halves (<c>\uD800</c>, which a parser turns into an unpaired UTF-16 unit).
    /// </summary>
    public static string DoubleQuoted(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '\0' => text.Append("\\0"),
                _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\uFEFF' =>
                    text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    /// <summary>Single-quoted: only the quote is escaped, anything else goes in raw (and may make the file invalid).</summary>
    public static string SingleQuoted(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A literal block scalar (<c>|</c>); the draft indents its lines.</summary>
    public static string Literal(string value) => "|-\n" + value.Replace("\r", "", StringComparison.Ordinal);
}
