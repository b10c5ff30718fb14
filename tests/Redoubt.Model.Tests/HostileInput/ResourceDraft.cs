using System.Text;
using YamlDotNet.RepresentationModel;

namespace Redoubt.Model.Tests.HostileInput;

/// <summary>
/// A resource file as an ordered tree of raw YAML: keys and scalar values are kept as the text that will be written,
/// so a mutation can put anything where a value goes (a tag, an anchor, a flow list ten thousand levels deep) and
/// keep keys a parser would reject as duplicates. <see cref="ToText"/> writes it back in block style.
/// </summary>
internal sealed class ResourceDraft
{
    private ResourceDraft(DraftMap root) => Root = root;

    public DraftMap Root { get; }

    /// <summary>Text written before the document: directives, a byte order mark.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Text written after it: more documents.</summary>
    public string Suffix { get; set; } = "";

    public static ResourceDraft Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new ResourceDraft(ToMap((YamlMappingNode)stream.Documents[0].RootNode));
    }

    public ResourceDraft Clone() => new(Root.Clone()) { Prefix = Prefix, Suffix = Suffix };

    public string ToText()
    {
        var text = new StringBuilder(Prefix);
        Write(Root, 0, text);
        return text.Append(Suffix).ToString();
    }

    private static DraftMap ToMap(YamlMappingNode mapping)
    {
        var map = new DraftMap();
        foreach (var (key, value) in mapping.Children)
        {
            map.Entries.Add(new DraftEntry(((YamlScalarNode)key).Value!, value switch
            {
                YamlMappingNode child => ToMap(child),
                YamlScalarNode scalar => new DraftScalar(Scalar(scalar)),
                _ => throw new InvalidOperationException("the examples hold mappings and scalars only"),
            }));
        }

        return map;
    }

    /// <summary>A scalar as written: plain where the example wrote it plain, double-quoted otherwise.</summary>
    private static string Scalar(YamlScalarNode scalar) =>
        scalar.Style is YamlDotNet.Core.ScalarStyle.Plain ? scalar.Value ?? "" : YamlText.DoubleQuoted(scalar.Value ?? "");

    private static void Write(DraftMap map, int indent, StringBuilder text)
    {
        foreach (var entry in map.Entries)
        {
            text.Append(' ', indent).Append(entry.Key).Append(':');
            switch (entry.Value)
            {
                case DraftMap { Entries.Count: 0 }:
                    text.Append(" {}\n");
                    break;
                case DraftMap child:
                    text.Append('\n');
                    Write(child, indent + 2, text);
                    break;
                case DraftScalar scalar:
                    // A block scalar's lines must be indented below their key.
                    text.Append(' ').Append(scalar.Text.Replace("\n", "\n" + new string(' ', indent + 2), StringComparison.Ordinal)).Append('\n');
                    break;
            }
        }
    }
}

internal abstract class DraftValue
{
    public abstract DraftValue Clone();
}

internal sealed class DraftScalar(string text) : DraftValue
{
    /// <summary>The raw YAML of the value: <c>3</c>, <c>"a\nb"</c>, <c>[1, 2]</c>, <c>&amp;x !!str y</c>.</summary>
    public string Text { get; } = text;

    public override DraftValue Clone() => this;
}

internal sealed class DraftMap : DraftValue
{
    public List<DraftEntry> Entries { get; } = [];

    public override DraftMap Clone()
    {
        var copy = new DraftMap();
        copy.Entries.AddRange(Entries.Select(e => e with { Value = e.Value.Clone() }));
        return copy;
    }

    /// <summary>The value of the first entry named <paramref name="key"/>.</summary>
    public DraftValue? this[string key] => Entries.FirstOrDefault(e => e.Key == key)?.Value;

    /// <summary>Replaces the first entry named <paramref name="key"/>, or adds one at the end.</summary>
    public void Set(string key, DraftValue value)
    {
        var index = Entries.FindIndex(e => e.Key == key);
        if (index < 0)
        {
            Entries.Add(new DraftEntry(key, value));
        }
        else
        {
            Entries[index] = new DraftEntry(key, value);
        }
    }

    /// <summary>The mapping under <paramref name="key"/>, made one (replacing a scalar) when it is not.</summary>
    public DraftMap Child(string key)
    {
        if (this[key] is DraftMap child)
        {
            return child;
        }

        var created = new DraftMap();
        Set(key, created);
        return created;
    }
}

internal sealed record DraftEntry(string Key, DraftValue Value);
