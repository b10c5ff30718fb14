using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Redoubt.Model;

/// <summary>
/// Converts between JSON trees and YAML text, like sigs.k8s.io/yaml does for Kubernetes. Strings that a YAML reader
/// would take for something else (<c>"true"</c>, <c>"1.0"</c>, <c>"yes"</c> to YAML 1.1 readers such as kubectl, a
/// date) are quoted, so that every value reads back as the type it was.
/// </summary>
internal static partial class YamlJson
{
    private const int MaxDepth = 64;

    public static string Emit(IEnumerable<JsonNode?> documents)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };

        // No line width: a long status message stays on one line instead of being folded.
        var emitter = new Emitter(writer, 2, int.MaxValue, false);
        emitter.Emit(new StreamStart());
        foreach (var document in documents)
        {
            emitter.Emit(new DocumentStart(null, null, true));
            Node(emitter, document);
            emitter.Emit(new DocumentEnd(true));
        }

        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>The single document of <paramref name="yaml"/> as a JSON tree, scalars typed by the YAML 1.2 core schema.</summary>
    public static JsonNode? Parse(string yaml)
    {
        var stream = new YamlStream();
        // Without aliases: this reads what Emit wrote, and expanding aliases into a tree can grow it exponentially.
        stream.Load(new GuardedParser(new Parser(new StringReader(yaml)), MaxDepth, allowAliases: false));
        return stream.Documents.Count == 1
            ? Node(stream.Documents[0].RootNode)
            : throw new JsonException($"expected one YAML document, got {stream.Documents.Count}");
    }

    private static void Node(Emitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
                foreach (var (name, value) in obj)
                {
                    emitter.Emit(String(name));
                    Node(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var item in array)
                {
                    Node(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                emitter.Emit(String(value.GetValue<string>()));
                break;
            default:
                // Numbers, booleans and null are written as JSON spells them, which YAML reads back the same.
                emitter.Emit(Plain(node?.ToJsonString() ?? "null"));
                break;
        }
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", Node(p.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Node)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new JsonException($"unsupported YAML node at line {node.Start.Line}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        return YamlScalars.KindOf(scalar) switch
        {
            ScalarKind.Null => null,
            ScalarKind.Bool => JsonValue.Create(YamlScalars.ParseBool(text)),
            ScalarKind.Int when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) =>
                JsonValue.Create(integer),
            ScalarKind.Float when decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) =>
                JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }

    private static Scalar String(string value)
    {
        // The line and paragraph separators (and NEL, a control character) end a line in YAML: unescaped, a value
        // holding one reads back as two lines folded into one, so `get -o yaml` would not apply back the same.
        var style = value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029') ? ScalarStyle.DoubleQuoted
            : NeedsQuotes(value) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        return new Scalar(AnchorName.Empty, TagName.Empty, value, style, true, true);
    }

    private static Scalar Plain(string value) => new(AnchorName.Empty, TagName.Empty, value, ScalarStyle.Plain, true, false);

    /// <summary>Plain, would this string read back as something other than a string, to a YAML 1.2 or a YAML 1.1 reader?</summary>
    internal static bool NeedsQuotes(string value) =>
        YamlScalars.KindOfPlain(value) != ScalarKind.String
        || value is "y" or "Y" or "yes" or "Yes" or "YES" or "n" or "N" or "no" or "No" or "NO"
            or "on" or "On" or "ON" or "off" or "Off" or "OFF" or "=" or "<<"
        || NumberLike().IsMatch(value)
        || Timestamp().IsMatch(value);

    /// <summary>YAML 1.1 numbers are looser than 1.2's: 1_000, 1:30 (base 60), 0b101.</summary>
    [GeneratedRegex(@"\A[-+.]?[0-9][-+0-9_:.eEoxbA-Fa-f]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|\z)", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();
}
