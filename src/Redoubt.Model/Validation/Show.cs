using System.Globalization;
using System.Text;

namespace Redoubt.Model;

/// <summary>
/// Renders a bad value inside an error message: quoted, with control characters escaped, so that a message is always
/// one line and shows exactly what was written (a newline hidden in a value is visible as <c>\n</c>).
/// </summary>
internal static class Show
{
    private const int MaxLength = 80;

    public static string Text(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value.Length > MaxLength ? value[..MaxLength] : value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' =>
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        builder.Append('"');
        return value.Length > MaxLength ? builder.Append("...").ToString() : builder.ToString();
    }

    public static string List(IEnumerable<string> values) => string.Join(", ", values);
}
