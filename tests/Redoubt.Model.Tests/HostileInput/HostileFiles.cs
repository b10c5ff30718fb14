using CsCheck;

namespace Redoubt.Model.Tests.HostileInput;

/// <summary>A valid example file after one to four hostile mutations.</summary>
internal sealed record HostileFile(string Example, IReadOnlyList<FileMutation> Mutations, string Text)
{
    public override string ToString() => $"{Example} with: {string.Join("; ", Mutations)}";
}

/// <summary>
/// Hostile resource files, generated from every valid file in <c>examples/</c>. Case <c>i</c> of seed <c>s</c> is
/// always the same file (its own PCG stream), so a failure found by a run of a hundred thousand is one case to re-run.
/// </summary>
internal sealed class HostileFiles
{
    /// <summary>Every field of the resource, plus the server-owned ones a resource may carry and the status.</summary>
    private static readonly string[][] FieldPaths =
    [
        ["apiVersion"], ["kind"], ["metadata"], ["metadata", "name"], ["metadata", "namespace"], ["metadata", "labels"],
        ["metadata", "labels", "app"], ["metadata", "labels", "app.kubernetes.io/name"], ["metadata", "annotations"],
        ["metadata", "annotations", "redoubt.io/restartedAt"], ["metadata", "annotations", "redoubt.io/paused"],
        ["metadata", "annotations", "redoubt.io/exporter"], ["metadata", "annotations", "note"], ["metadata", "uid"],
        ["metadata", "generation"], ["metadata", "managedFields"], ["metadata", "resourceVersion"], ["spec"],
        ["spec", "replicas"], ["spec", "size"], ["spec", "storageClass"], ["spec", "resources"], ["spec", "resources", "cpu"],
        ["spec", "resources", "memory"], ["spec", "resourcesPreset"], ["spec", "external"], ["spec", "version"],
        ["spec", "authEnabled"], ["spec", "persistenceMode"], ["spec", "maxmemory"], ["spec", "maxmemoryPolicy"],
        ["spec", "minReplicasToWrite"], ["spec", "minReplicasMaxLag"], ["spec", "tls"], ["spec", "tls", "enabled"],
        ["spec", "sentinel"], ["spec", "sentinel", "replicas"], ["spec", "sentinel", "quorum"],
        ["spec", "sentinel", "downAfterMilliseconds"], ["spec", "sentinel", "failoverTimeout"], ["spec", "sentinel", "resources"],
        ["spec", "sentinel", "resources", "cpu"], ["spec", "sentinel", "resources", "memory"], ["spec", "zones"], ["status"],
        ["status", "phase"],
    ];

    /// <summary>Mappings where an unknown or hostile key can go.</summary>
    private static readonly string[][] Mappings =
    [
        [], ["metadata"], ["metadata", "labels"], ["metadata", "annotations"], ["spec"], ["spec", "sentinel"], ["spec", "resources"], ["spec", "tls"],
    ];

    private static readonly string[] Prefixes =
    [
        "%YAML 1.1\n---\n", "%YAML 1.2\n---\n", "%YAML 1.3\n---\n", "%YAML 2.0\n---\n", "%YAML 1.1\n%YAML 1.1\n---\n",
        "%TAG !e! tag:evil.example,2000:\n---\n", "%TAG ! tag:yaml.org,2002:\n---\n", "%TAG !! tag:evil.example,2000:\n---\n",
        "%FOO bar baz\n---\n", "%YAML 1.1\n", "%\n---\n", "\uFEFF", "\uFEFF\uFEFF", "# comment\n", "---\n", "--- !!map\n",
        "--- !custom\n", "--- &root\n", "...\n", "---\n...\n---\n", "\n\n\n", "\t\n", "\0",
    ];

    private static readonly string[] ExtraDocuments =
    [
        "---\n", "--- 3\n", "---\n- a\n- b\n", "...\n", "--- |\n  text\n", "---\n*a\n", "--- !!binary aGVsbG8=\n", "---\n{}\n",
        "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n", "---\n" + new string('-', 10) + "\n", "--- ---\n",
    ];

    private readonly Gen<HostileFile> _gen;

    public HostileFiles(IReadOnlyList<(string Name, string Text)> examples)
    {
        Examples = examples;
        var drafts = examples.Select(e => (e.Name, Draft: ResourceDraft.Parse(e.Text))).ToArray();
        _gen = Gen.Select(Gen.Int[0, drafts.Length - 1], Mutation(examples).Array[1, 4], (index, mutations) =>
        {
            var (name, original) = drafts[index];
            var draft = original.Clone();
            foreach (var mutation in mutations)
            {
                mutation.Apply(draft);
            }

            var text = mutations.Aggregate(draft.ToText(), (current, mutation) => mutation.Edit(current));
            return new HostileFile(name, mutations, text);
        });
    }

    public IReadOnlyList<(string Name, string Text)> Examples { get; }

    public Gen<HostileFile> Generator => _gen;

    /// <summary>Case <paramref name="index"/> of <paramref name="seed"/>: the same file every time.</summary>
    public HostileFile Case(int seed, int index) => _gen.Generate(new PCG((uint)index, (ulong)(uint)seed), null!, out _);

    private static Gen<FileMutation> Mutation(IReadOnlyList<(string Name, string Text)> examples)
    {
        var field = Gen.OneOf(FieldPaths);
        var hostileKeyPath = Gen.Select(Gen.OneOf(Mappings), HostileValues.Key, (map, key) => (string[])[.. map, key]);
        var anyPath = Gen.Frequency((4, field), (1, hostileKeyPath));
        var zoneList = Gen.Select(HostileValues.Value, Gen.Int[0, 2], (value, where) => where switch
        {
            0 => $"[{value}]",
            1 => $"[gland, {value}]",
            _ => $"[gland, lucerne, geneve, {value}]",
        });
        var anotherDocument = Gen.Frequency(
            (3, Gen.OneOf(ExtraDocuments)),
            (2, Gen.OneOf([.. examples.Select(e => "---\n" + e.Text)])),
            (1, Gen.OneOf([.. examples.Select(e => "---\n" + e.Text.Replace("name: ", "name: x", StringComparison.Ordinal))])));
        return Gen.Frequency<FileMutation>(
            (12, Gen.Select(anyPath, HostileValues.Value, (path, value) => (FileMutation)new SetField(path, value))),
            (2, zoneList.Select(value => (FileMutation)new SetField(["spec", "zones"], value))),
            (3, Gen.Select(anyPath, HostileValues.Value, (path, value) => (FileMutation)new DuplicateField(path, value))),
            (2, field.Select(path => (FileMutation)new RemoveField(path))),
            (2, Gen.OneOf(Prefixes).Select(text => (FileMutation)new Prefix(text))),
            (2, anotherDocument.Select(text => (FileMutation)new Suffix(text))),
            (3, Gen.Select(Gen.Enum<TextEditKind>(), Gen.Int[0, 1000], Gen.OneOf(HostileValues.OddCharacters.Concat(["\"", "'", "[", "{", ":", "- ", "&", "*", "!", "%", "#", "|", ">", "@", "`", "  "]).ToArray()),
                (kind, permille, text) => (FileMutation)new TextEdit(kind, permille, text))));
    }
}
