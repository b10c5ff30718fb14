using CsCheck;

namespace Redoubt.Model.Tests.HostileInput;

/// <summary>
/// Generators of what a hostile or careless file puts where a value or a key goes, as raw YAML: values of the wrong
/// type, numbers YAML reads in surprising ways, huge strings, Unicode that hides or reverses text, control characters,
/// directive injection, tags, anchors and aliases (alias bombs included), and nesting ten thousand levels deep.
/// </summary>
internal static class HostileValues
{
    /// <summary>Valid values of the resource's fields, so that a hostile part can ride on an otherwise good value.</summary>
    public static readonly string[] ValidTexts =
    [
        "example", "default", "v7", "v8", "1Gi", "512Mi", "500m", "2", "t1.nano", "s1.small", "rdb", "aof", "none",
        "allkeys-lru", "noeviction", "gland", "lucerne", "fast.ssd", "app", "10", "3", "true", "apps.cozystack.io/v1alpha1", "Redis",
    ];

    /// <summary>Scalars of every YAML type, and numbers at and beyond every limit.</summary>
    public static readonly string[] TypedScalars =
    [
        "true", "false", "True", "FALSE", "yes", "no", "on", "off", "y", "n", "null", "~", "Null", "",
        "0", "1", "-1", "+1", "3", "32", "33", "-0", "00", "007", "017", "0o17", "0x1F", "0xFFFFFFFF", "0b101", "1_000",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "99999999999999999999999999999999999999999999999999", "-99999999999999999999999999999999999999999999999999",
        "1e3", "1E308", "1e309", "-1e309", "4.9e-324", "1e-400", "2.5", "0.0", "-0.0", ".5", "5.", "1.0", "3.000000000000000000001",
        ".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "NaN", "Infinity", "-Infinity",
        "1Gi", "0Gi", "-1Gi", "1.5Gi", "1e3Gi", "1e100", "100000000000000000000Ei", "0.000000001m", "1Ki", "1k", "1Mi ",
        "2001-12-14", "2001-12-14t21:59:43.10-05:00", "12:30:45", "\"3\"", "'true'", "\"\"", "''", "\"~\"",
        "[]", "{}", "[1, 2]", "[gland, lucerne]", "{a: 1}", "{cpu: 1, memory: 1Gi}", "[[]]", "[{}]", "{? a}", "[a, [b, [c]]]",
    ];

    /// <summary>What a config line, a shell or a manifest would take as a second command.</summary>
    public static readonly string[] Injections =
    [
        "\nrequirepass INJECTED", "\r\nCONFIG SET dir /tmp/INJECTED", "\nreplicaof 6.6.6.6 6379", "\r\nslaveof INJECTED 1",
        "\nsentinel monitor INJECTED 6.6.6.6 6379 1", "\ninclude /tmp/INJECTED", "\n\nrename-command CONFIG INJECTED",
        "\"\nrequirepass INJECTED\"", "\" INJECTED", "' INJECTED", "\\\nINJECTED", " INJECTED", "\tINJECTED",
        "\u2028requirepass INJECTED", "\u0085requirepass INJECTED", "\0requirepass INJECTED", "\x1b[2J",
        "$(touch /tmp/INJECTED)", "`touch /tmp/INJECTED`", "; touch /tmp/INJECTED", "| touch /tmp/INJECTED",
        "../../../../etc/passwd", "/../../INJECTED", "%0arequirepass INJECTED", "\r\n\r\nGET / HTTP/1.1",
        "\n---\napiVersion: v1\nkind: Secret", "\n  injected: true", "#INJECTED", "{{INJECTED}}", "${INJECTED}",
    ];

    /// <summary>Characters that render invisibly or misleadingly, break encodings, or end lines.</summary>
    public static readonly string[] OddCharacters =
    [
        "\u202E", "\u202D", "\u2066", "\u200B", "\u200D", "\uFEFF", "\u00AD", "\u0301", "\u0000", "\u0001", "\u0007",
        "\u0008", "\u000B", "\u000C", "\u001B", "\u007F", "\u0085", "\u00A0", "\u2028", "\u2029", "\u3000", "\uFFFD",
        "\uFFFF", "\uFFFE", "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uD83D\uDE00", "\U0001F4A9", "é", "e\u0301", "İ", "ı",
        "ß", "Ω", "ｇｌａｎｄ", "гланд", "\t", "\r", "\n", "\r\n", " ",
    ];

    private static readonly string[] Tags =
    [
        "!!python/object:os.system", "!!python/object/apply:os.system", "!custom", "!!str", "!!int", "!!float", "!!bool",
        "!!null", "!!binary", "!!map", "!!seq", "!!set", "!!omap", "!!timestamp", "!!merge", "!<tag:yaml.org,2002:int>",
        "!<tag:yaml.org,2002:str>", "!<!>", "!e!undefined", "!", "!!", "!<>", "!ruby/object:Gem::Installer",
        "!<tag:clarkevans.com,2002:invoice>", "!!js/function",
    ];

    /// <summary>A string content: a valid value spoiled by odd characters or an injection, random text, or a huge run.</summary>
    public static Gen<string> Content { get; } = Gen.Frequency(
        (4, Gen.Select(Gen.OneOf(ValidTexts), Gen.OneOf(Injections), (valid, injection) => valid + injection)),
        (3, Gen.Select(Gen.OneOf(ValidTexts), Gen.OneOf(OddCharacters), Gen.Int[0, 2], Insert)),
        (2, Gen.OneOf(OddCharacters).Array[1, 6].Select(parts => string.Concat(parts))),
        (2, Gen.Char.Array[0, 40].Select(chars => new string(chars))),
        (1, Gen.Char[' ', '~'].Array[0, 300].Select(chars => new string(chars))),
        (1, Gen.Select(Gen.OneOf("a", "é", "\u202E", "\uD83D\uDE00", "\u200B", "-", "a\n"), Gen.OneOf(64, 254, 4096, 100_000),
            (unit, length) => string.Concat(Enumerable.Repeat(unit, length / unit.Length)))),
        (1, Gen.OneOf(ValidTexts)));

    /// <summary>A string written in one of YAML's styles; the raw styles may make the file invalid, which is fine.</summary>
    public static Gen<string> QuotedString { get; } = Gen.Select(Content, Gen.Int[0, 9], (content, style) => style switch
    {
        < 5 => YamlText.DoubleQuoted(content),
        < 7 => YamlText.SingleQuoted(content),
        < 8 => YamlText.Literal(content),
        _ => content,
    });

    /// <summary>Billion laughs: nine levels of ten aliases each, a thousand million strings if anything expanded them.</summary>
    public static Gen<string> AliasBomb { get; } = Gen.Select(Gen.Int[2, 12], Gen.Int[2, 10], (levels, width) =>
    {
        var parts = new List<string> { $"l0: &l0 [{string.Join(", ", Enumerable.Repeat("lol", width))}]" };
        for (var level = 1; level < levels; level++)
        {
            parts.Add($"l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", width))}]");
        }

        return "{" + string.Join(", ", parts) + "}";
    });

    /// <summary>Flow or block nesting up to ten thousand levels.</summary>
    public static Gen<string> DeepNesting { get; } = Gen.Select(Gen.OneOf(10, 63, 64, 65, 100, 1000, 10_000), Gen.Int[0, 3], (depth, style) => style switch
    {
        0 => new string('[', depth) + new string(']', depth),
        1 => string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth),
        2 => new string('[', depth) + "1",
        // Block style, one space deeper each level (at most a thousand: the text grows with the square of the depth).
        _ => string.Concat(Enumerable.Range(1, Math.Min(depth, 1000)).Select(i => "\n" + new string(' ', i) + "a:")) + " 1",
    });

    /// <summary>Anchors, aliases to nothing, an alias inside its own anchor, merge keys.</summary>
    public static Gen<string> AnchorsAndAliases { get; } = Gen.Frequency(
        (2, QuotedString.Select(value => "&a " + value)),
        (1, Gen.Const("*a")),
        (1, Gen.Const("*undefined")),
        (1, Gen.Const("&a [*a]")),
        (1, Gen.Const("&a {b: *a}")),
        (1, Gen.Const("{<<: {cpu: 1}, memory: 1Gi}")),
        (1, Gen.Const("&a {x: 1} ")),
        (2, AliasBomb));

    public static Gen<string> Tagged { get; } = Gen.Select(Gen.OneOf(Tags), Gen.Frequency((3, Gen.OneOf(TypedScalars)), (1, QuotedString)), (tag, value) => tag + " " + value);

    /// <summary>A raw YAML value for any field.</summary>
    public static Gen<string> Value { get; } = Gen.Frequency(
        (6, QuotedString),
        (5, Gen.OneOf(TypedScalars)),
        (2, Tagged),
        (2, AnchorsAndAliases),
        (1, DeepNesting),
        (1, Gen.Select(QuotedString, QuotedString, (a, b) => $"[{a}, {b}]")),
        (1, Gen.Select(QuotedString, QuotedString, (a, b) => $"{{{a}: {b}}}")));

    /// <summary>A raw YAML key: a misspelt or unknown name, a quoted hostile string, a flow collection, an alias.</summary>
    public static Gen<string> Key { get; } = Gen.Frequency(
        (3, Gen.OneOf("replica", "Replicas", "replicaz", "quroum", "gpu", "spec", "metadata", "status", "<<", "=", "-", "?", "apiversion", "KIND")),
        (4, Content.Select(YamlText.DoubleQuoted)),
        (1, Gen.OneOf("[a, b]", "{a: 1}", "*a", "&k key", "!!str key", "!!int 3", "? complex", "\"\"", "''", "3", "true", "null", "~", "1.5")));

    private static string Insert(string valid, string odd, int where) => where switch
    {
        0 => odd + valid,
        1 => valid + odd,
        _ => valid[..(valid.Length / 2)] + odd + valid[(valid.Length / 2)..],
    };
}
