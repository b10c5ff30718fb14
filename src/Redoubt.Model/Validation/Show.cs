using System.Globalization;
using System.Text;

namespace Redoubt.Model;

/// <summary>
/// Renders a bad value inside an error message: quoted, with control characters escaped, so that a message is always
/// one line and shows exactly what was written (a newline hidden in a value is visible as <c>\n</c>). Characters that
/// print nothing or reorder what follows (zero-width spaces, bidirectional overrides) are escaped too, so a message
/// cannot be made to read as something else, and so are halves of surrogate pairs, which no UTF-8 terminal or JSON
/// reply can carry.
/// </summary>
internal static class Show
{
    private const int MaxLength = 80;

    /// <summary>A parser's own message can quote the input; longer than this, it is cut.</summary>
    private const int MaxMessageLength = 300;

    public static string Text(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, MaxLength) + 2).Append('"');
        Append(builder, value.Length > MaxLength ? value[..MaxLength] : value, escapeQuotes: true);
        builder.Append('"');
        return value.Length > MaxLength ? builder.Append("...").ToString() : builder.ToString();
    }

    /// <summary>A message from elsewhere (the YAML parser's), which may quote the input: escaped as values are, not quoted, cut when long.</summary>
    public static string Message(string message)
    {
        var builder = new StringBuilder(Math.Min(message.Length, MaxMessageLength));
        Append(builder, message.Length > MaxMessageLength ? message[..MaxMessageLength] : message, escapeQuotes: false);
        return message.Length > MaxMessageLength ? builder.Append("...").ToString() : builder.ToString();
    }

    public static string List(IEnumerable<string> values) => string.Join(", ", values);

    private static void Append(StringBuilder builder, string value, bool escapeQuotes)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
                continue;
            }

            _ = c switch
            {
                '"' when escapeQuotes => builder.Append("\\\""),
                '\\' when escapeQuotes => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when IsInvisible(c) => builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }
    }

    private static bool IsInvisible(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned;
}
