using Redoubt.Platforms.Local;

namespace Redoubt.Integration.Tests.Local;

/// <summary>What makes a running node outdated on the local platform, read back from the file it was started with.</summary>
public sealed class NodeRevisionTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "redoubt-revision-" + Guid.NewGuid().ToString("N")[..8]);

    public NodeRevisionTests() => Directory.CreateDirectory(_folder);

    private static readonly NodeRevision Started = new(Config, "", Binary);

    private const string Config = "0123456789abcdef";
    private const string Binary = "/usr/bin/redis-server:100:1";

    public static TheoryData<string, string, string, string, string?> Cases => new()
    {
        { "nothing changed", Config, "", Binary, null },
        { "a restart request", Config, "2030-01-01T12:00:00Z", Binary, "a restart was requested (2030-01-01T12:00:00Z)" },
        { "a new binary on disk", Config, "", "/usr/bin/redis-server:120:2", "redis-server changed on disk (an upgrade)" },
        { "the binary cannot be read now", Config, "", "missing", null },
        { "a restart-only setting", "fedcba9876543210", "", Binary, "its configuration changed in a way only a restart applies" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ANodeIsOutdatedOnlyForWhatARestartWouldChange(string situation, string config, string restartedAt, string binary, string? why)
    {
        var file = Path.Combine(_folder, "revision");
        Started.Write(file);

        Assert.True(why == new NodeRevision(config, restartedAt, binary).WhyOutdated(NodeRevision.Read(file), "redis-server"), situation);
    }

    [Fact]
    public void AFileWithAFieldWrittenTwiceIsUnreadableNotAnException()
    {
        // What an earlier version wrote for a restart request with a line break in it: the request forged a binary line.
        var file = Path.Combine(_folder, "revision");
        File.WriteAllText(file, $"config {Config}\nrestartedAt now\nbinary /tmp/evil\nbinary {Binary}\n");

        Assert.Null(NodeRevision.Read(file));
    }

    [Fact]
    public void AWithdrawnRequestRestartsNothingButANewOneDoes()
    {
        var file = Path.Combine(_folder, "revision");
        (Started with { RestartedAt = "first" }).Write(file);

        Assert.Null(Started.WhyOutdated(NodeRevision.Read(file), "redis-server"));
        Assert.Equal("a restart was requested (second)", (Started with { RestartedAt = "second" }).WhyOutdated(NodeRevision.Read(file), "redis-server"));
    }

    [Fact]
    public void ANodeStartedBeforeRevisionsWereKeptIsNotRestartedForThat()
    {
        Assert.Null(NodeRevision.Read(Path.Combine(_folder, "missing")));
        Assert.Null(Started.WhyOutdated(null, "redis-server"));
    }

    [Fact]
    public void TheBinaryIsKnownThroughItsLinksAndChangesWhenTheFileIsReplaced()
    {
        var binary = Path.Combine(_folder, "redis-server-7");
        File.WriteAllText(binary, "v1");
        var link = Path.Combine(_folder, "redis-server");
        File.CreateSymbolicLink(link, binary);
        var before = NodeRevision.BinaryIdentity(link);

        // An upgrade replaces the file: new size, new modification time.
        File.WriteAllText(binary, "version 2");
        File.SetLastWriteTimeUtc(binary, DateTime.UtcNow.AddMinutes(1));

        Assert.StartsWith(binary + ":", before, StringComparison.Ordinal);
        Assert.NotEqual(before, NodeRevision.BinaryIdentity(link));
        Assert.Equal("missing", NodeRevision.BinaryIdentity(Path.Combine(_folder, "nowhere")));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
