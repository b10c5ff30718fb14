using System.Globalization;
using System.Text;

namespace Redoubt.Core.Planning;

/// <summary>
/// Builds redis.conf / sentinel.conf text. Every argument is quoted when it is not a plain token, and a value
/// that could end a line is refused outright, so no value can ever add a directive of its own.
/// </summary>
internal sealed class ConfigWriter
{
    private readonly StringBuilder _text = new();

    public ConfigWriter Comment(string comment)
    {
        _text.Append("# ").Append(comment.ReplaceLineEndings(" ")).Append('\n');
        return this;
    }

    public ConfigWriter Line(string directive, params object[] arguments)
    {
        _text.Append(directive);
        foreach (var argument in arguments)
        {
            _text.Append(' ').Append(Quote(Convert.ToString(argument, CultureInfo.InvariantCulture) ?? ""));
        }

        _text.Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();

    internal static string Quote(string value)
    {
        if (value.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0)
        {
            throw new ArgumentException("a configuration value may not contain a line break or NUL", nameof(value));
        }

        if (value.Length > 0 && value.All(IsPlain))
        {
            return value;
        }

        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or ':' or '-' or '*' or '+' or '=' or '@' or ',';
}
