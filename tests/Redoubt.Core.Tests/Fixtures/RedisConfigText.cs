using System.Globalization;
using System.Text;

namespace Redoubt.Core.Tests.Fixtures;

/// <summary>
/// Reads a rendered redis.conf or sentinel.conf the way Redis does (lines split on '\n', '#' comments,
/// arguments split like sdssplitargs), so a test sees exactly the arguments Redis would see.
/// </summary>
internal static class RedisConfigText
{
    public static IReadOnlyList<IReadOnlyList<string>> Directives(string text) =>
        [.. text.Split('\n').Select(l => l.Trim(' ', '\t', '\r')).Where(l => l.Length > 0 && l[0] != '#').Select(Arguments)];

    /// <summary>The arguments of every directive with this name (sentinel.conf: "sentinel monitor" is name "sentinel").</summary>
    public static IReadOnlyList<IReadOnlyList<string>> All(string text, string name) =>
        [.. Directives(text).Where(d => d[0] == name)];

    public static IReadOnlyList<string> Arguments(string line)
    {
        var arguments = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i == line.Length)
            {
                return arguments;
            }

            var current = new StringBuilder();
            var inDouble = false;
            var inSingle = false;
            while (true)
            {
                if (inDouble)
                {
                    if (i == line.Length)
                    {
                        throw new FormatException($"unbalanced quotes: {line}");
                    }

                    if (line[i] == '\\' && i + 3 < line.Length && line[i + 1] == 'x' && Uri.IsHexDigit(line[i + 2]) && Uri.IsHexDigit(line[i + 3]))
                    {
                        current.Append((char)int.Parse(line.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 3;
                    }
                    else if (line[i] == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        current.Append(line[i] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'a' => '\a', var c => c });
                    }
                    else if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && !char.IsWhiteSpace(line[i + 1]))
                        {
                            throw new FormatException($"closing quote must be followed by a space: {line}");
                        }

                        i++;
                        break;
                    }
                    else
                    {
                        current.Append(line[i]);
                    }
                }
                else if (inSingle)
                {
                    if (i == line.Length)
                    {
                        throw new FormatException($"unbalanced quotes: {line}");
                    }

                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] == '\'')
                    {
                        i++;
                        current.Append('\'');
                    }
                    else if (line[i] == '\'')
                    {
                        if (i + 1 < line.Length && !char.IsWhiteSpace(line[i + 1]))
                        {
                            throw new FormatException($"closing quote must be followed by a space: {line}");
                        }

                        i++;
                        break;
                    }
                    else
                    {
                        current.Append(line[i]);
                    }
                }
                else if (i == line.Length || char.IsWhiteSpace(line[i]))
                {
                    break;
                }
                else if (line[i] == '"')
                {
                    inDouble = true;
                }
                else if (line[i] == '\'')
                {
                    inSingle = true;
                }
                else
                {
                    current.Append(line[i]);
                }

                i++;
            }

            arguments.Add(current.ToString());
        }
    }
}
