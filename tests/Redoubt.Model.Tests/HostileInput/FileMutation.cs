namespace Redoubt.Model.Tests.HostileInput;

/// <summary>One change a hostile file makes to a valid one; <see cref="ToString"/> says what, for a failure report.</summary>
internal abstract record FileMutation
{
    public virtual void Apply(ResourceDraft draft)
    {
    }

    public virtual string Edit(string text) => text;

    /// <summary>A value as a report shows it: escaped, and cut when long.</summary>
    protected static string Show(string value) =>
        value.Length > 120 ? $"{YamlText.DoubleQuoted(value[..120])}... ({value.Length} characters)" : YamlText.DoubleQuoted(value);

    /// <summary>The mapping that holds the last key of <paramref name="path"/>, created as needed.</summary>
    protected static DraftMap Parent(ResourceDraft draft, IReadOnlyList<string> path)
    {
        var map = draft.Root;
        for (var i = 0; i < path.Count - 1; i++)
        {
            map = map.Child(path[i]);
        }

        return map;
    }
}

/// <summary>Sets a field (creating the mappings above it) to a raw YAML value.</summary>
internal sealed record SetField(string[] Path, string Value) : FileMutation
{
    public override void Apply(ResourceDraft draft) => Parent(draft, Path).Set(Path[^1], new DraftScalar(Value));

    public override string ToString() => $"set {string.Join('.', Path.Select(Show))} to {Show(Value)}";
}

/// <summary>Writes the key a second time, with another value.</summary>
internal sealed record DuplicateField(string[] Path, string Value) : FileMutation
{
    public override void Apply(ResourceDraft draft) => Parent(draft, Path).Entries.Add(new DraftEntry(Path[^1], new DraftScalar(Value)));

    public override string ToString() => $"repeat {string.Join('.', Path.Select(Show))} with {Show(Value)}";
}

internal sealed record RemoveField(string[] Path) : FileMutation
{
    public override void Apply(ResourceDraft draft) => Parent(draft, Path).Entries.RemoveAll(e => e.Key == Path[^1]);

    public override string ToString() => $"remove {string.Join('.', Path)}";
}

/// <summary>Text before the document: directives, a byte order mark, a document start.</summary>
internal sealed record Prefix(string Text) : FileMutation
{
    public override void Apply(ResourceDraft draft) => draft.Prefix = Text + draft.Prefix;

    public override string ToString() => $"prefix {Show(Text)}";
}

/// <summary>Text after the document: more documents.</summary>
internal sealed record Suffix(string Text) : FileMutation
{
    public override void Apply(ResourceDraft draft) => draft.Suffix += Text;

    public override string ToString() => $"append {Show(Text)}";
}

internal enum TextEditKind { Insert, Delete, Truncate, DuplicateLine, CrLf, TabIndent }

/// <summary>A change to the written text itself, at a position given in thousandths of its length.</summary>
internal sealed record TextEdit(TextEditKind Kind, int Permille, string Text) : FileMutation
{
    public override string Edit(string text)
    {
        var at = (int)((long)text.Length * Permille / 1000);
        var lineStart = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        var lineEnd = text.IndexOf('\n', at) is var end and >= 0 ? end + 1 : text.Length;
        return Kind switch
        {
            TextEditKind.Insert => text.Insert(at, Text),
            TextEditKind.Delete => text.Remove(at, Math.Min(Text.Length, text.Length - at)),
            TextEditKind.Truncate => text[..at],
            TextEditKind.DuplicateLine => text.Insert(lineStart, text[lineStart..lineEnd]),
            TextEditKind.CrLf => text.Replace("\n", "\r\n", StringComparison.Ordinal),
            _ => text[..lineStart] + "\t" + text[lineStart..].TrimStart(' '),
        };
    }

    public override string ToString() => $"{Kind} at {Permille}/1000 {Show(Text)}";
}
