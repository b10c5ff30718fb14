using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Redoubt.Model;

/// <summary>
/// Reads typed values out of YAML nodes, strictly: a quoted "3" is not an integer, 2.5 is not an integer, yes is not
/// a boolean, and a key nobody defined is an error, not something silently dropped. A field that is absent or null
/// (<c>~</c>, or nothing after the colon) reads as not set. Every problem goes to the collector with the node's line,
/// and the value then reads as not set too.
/// </summary>
internal sealed class NodeReader(ErrorCollector errors)
{
    /// <summary>The known fields of a mapping; null when the node is null or not a mapping (the latter is reported).</summary>
    public Fields? Mapping(YamlNode node, string path, IReadOnlyList<string> allowed, IReadOnlySet<string>? ignored = null)
    {
        errors.SetLine(path, Line(node));
        if (YamlScalars.IsNull(node))
        {
            return null;
        }

        if (node is not YamlMappingNode && path.Length == 0)
        {
            // A whole document that is a list or a scalar has no field to name: say it is the document.
            errors.Add(path, $"the document must be a Redis resource, a mapping of {Show.List(allowed)}; got {Describe(node)}", Line(node));
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            return Wrong<Fields>(node, path, $"a mapping of {Show.List(allowed)}");
        }

        var fields = new Fields(path);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name })
            {
                errors.Add(FieldPath.Child(path, "?"), $"field names must be plain words, got {Describe(keyNode)}", Line(keyNode));
                continue;
            }

            var fieldPath = FieldPath.Child(path, FieldPath.Name(name));
            errors.SetLine(fieldPath, Line(keyNode));
            if (ignored?.Contains(name) == true)
            {
                continue;
            }

            if (!allowed.Contains(name))
            {
                var hint = FieldNames.Closest(name, allowed) is { } near ? $"did you mean {near}? " : "";
                errors.Add(fieldPath, $"unknown field; {hint}allowed: {Show.List(allowed)}", Line(keyNode));
                continue;
            }

            fields.Add(name, value);
        }

        return fields;
    }

    public Fields? Mapping(Fields? parent, string name, IReadOnlyList<string> allowed, IReadOnlySet<string>? ignored = null) =>
        parent?[name] is { } node ? Mapping(node, parent.PathOf(name), allowed, ignored) : null;

    public int? Int(Fields? parent, string name, string expected)
    {
        if (Present(parent, name) is not var (node, path))
        {
            return null;
        }

        // A number beyond int's range is simply out of the field's range, hence the same message.
        if (node is YamlScalarNode { Value: { } text } scalar
            && YamlScalars.KindOf(scalar) == ScalarKind.Int
            && YamlScalars.IsDecimalInteger(text)
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Wrong<object>(node, path, expected);
        return null;
    }

    public bool? Bool(Fields? parent, string name)
    {
        if (Present(parent, name) is not var (node, path))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text } scalar && YamlScalars.KindOf(scalar) == ScalarKind.Bool)
        {
            return YamlScalars.ParseBool(text);
        }

        Wrong<object>(node, path, Expected.Bool);
        return null;
    }

    public string? String(Fields? parent, string name, string expected) =>
        Present(parent, name) is var (node, path) ? String(node, path, expected) : null;

    /// <summary>A quantity may be written as a string (<c>1Gi</c>) or, as Kubernetes allows, as a number (<c>2</c>, <c>0.5</c>).</summary>
    public string? Quantity(Fields? parent, string name, string expected)
    {
        if (Present(parent, name) is not var (node, path))
        {
            return null;
        }

        return node is YamlScalarNode scalar && YamlScalars.KindOf(scalar) is ScalarKind.String or ScalarKind.Int or ScalarKind.Float
            ? scalar.Value ?? ""
            : Wrong<string>(node, path, expected);
    }

    /// <summary>A list of strings. A bad item is reported and kept as "", so that the items after it keep their index in errors.</summary>
    public List<string>? StringList(Fields? parent, string name, string expected, string itemExpected)
    {
        if (Present(parent, name) is not var (node, path))
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            return Wrong<List<string>>(node, path, expected);
        }

        var items = new List<string>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = FieldPath.Item(path, i);
            errors.SetLine(itemPath, Line(sequence.Children[i]));
            items.Add(String(sequence.Children[i], itemPath, itemExpected) ?? "");
        }

        return items;
    }

    /// <summary>A map of strings to strings (labels, annotations).</summary>
    public Dictionary<string, string>? StringMap(Fields? parent, string name, string valueExpected)
    {
        if (Present(parent, name) is not var (node, path))
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            return Wrong<Dictionary<string, string>>(node, path, $"a mapping of keys to {valueExpected}");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                errors.Add(FieldPath.Key(path, "?"), $"keys must be strings, got {Describe(keyNode)}", Line(keyNode));
                continue;
            }

            var entryPath = FieldPath.Key(path, key);
            errors.SetLine(entryPath, Line(keyNode));
            if (String(value, entryPath, valueExpected) is { } text)
            {
                map[key] = text;
            }
        }

        return map;
    }

    /// <summary>A string where one is required: null is as wrong as a number here.</summary>
    private string? String(YamlNode node, string path, string expected) =>
        node is YamlScalarNode scalar && YamlScalars.KindOf(scalar) == ScalarKind.String
            ? scalar.Value ?? ""
            : Wrong<string>(node, path, expected);

    /// <summary>The node of a field that is present and not null, with its path.</summary>
    private static (YamlNode Node, string Path)? Present(Fields? parent, string name) =>
        parent?[name] is { } node && !YamlScalars.IsNull(node) ? (node, parent.PathOf(name)) : null;

    private T? Wrong<T>(YamlNode node, string path, string expected)
        where T : class
    {
        errors.Add(path, $"must be {expected}, got {Describe(node)}", Line(node));
        return null;
    }

    /// <summary>How a wrong value reads in a message, saying so when quotes turned a number or a boolean into a string.</summary>
    internal static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: var value } scalar => YamlScalars.KindOf(scalar) switch
        {
            ScalarKind.Null => "null",
            ScalarKind.String when scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any)
                && YamlScalars.KindOfPlain(value ?? "") is ScalarKind.Int or ScalarKind.Float or ScalarKind.Bool =>
                $"the string {Show.Text(value ?? "")} (remove the quotes)",
            ScalarKind.String => Show.Text(value ?? ""),
            _ => value ?? "",
        },
        _ => "an alias",
    };

    internal static int Line(YamlNode node) => checked((int)node.Start.Line);
}
