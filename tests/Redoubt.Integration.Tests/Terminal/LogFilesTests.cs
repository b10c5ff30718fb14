using System.Text;
using Redoubt.Terminal;

namespace Redoubt.Integration.Tests.Terminal;

public sealed class LogFilesTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "redoubt-logfiles", Guid.NewGuid().ToString("N")[..12]);

    public LogFilesTests() => Directory.CreateDirectory(_home);

    [Fact]
    public void TheControlPlaneLogIsCappedWithOneRotationAndNoColour()
    {
        using (var file = ControlPlaneLogFile.OpenIn(_home, maxBytes: 1000))
        {
            for (var line = 0; line < 100; line++)
            {
                file.WriteLine($"\u001b[33mwarn\u001b[0m line {line} " + new string('x', 40));
            }
        }

        var path = ControlPlaneLogFile.PathIn(_home);
        Assert.True(new FileInfo(path).Length <= 1000, $"{path} grew past its cap");
        Assert.True(new FileInfo(path + ".1").Length <= 1000, $"{path}.1 grew past its cap");
        Assert.Equal(2, Directory.GetFiles(Path.GetDirectoryName(path)!).Length);
        var last = File.ReadAllLines(path);
        Assert.StartsWith("warn line 99 ", last[^1], StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void APartialLineWaitsForItsEnd()
    {
        using var stream = new MemoryStream();
        stream.Write(Encoding.UTF8.GetBytes("one\ntwo\nthr"));
        stream.Position = 0;
        var pending = new StringBuilder();

        Assert.Equal(["one", "two"], LogFollower.ReadAvailable(stream, pending));
        stream.Write(Encoding.UTF8.GetBytes("ee\n"));
        stream.Position = 11;
        Assert.Equal(["three"], LogFollower.ReadAvailable(stream, pending));
    }

    [Fact]
    public async Task TailPrintsTheLastLinesOnly()
    {
        var path = Path.Combine(_home, "redis.log");
        await File.WriteAllLinesAsync(path, ["a", "b", "c", "d"]);
        var output = new StringWriter();

        await LogFollower.PrintAsync(path, tail: 2, follow: false, output, CancellationToken.None);

        Assert.Equal("c\nd\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task APipedWatchPrintsABlockOnlyWhenTheKeyChanges()
    {
        var frames = new Queue<WatchFrame>([new("k1", "age 1s"), new("k1", "age 2s"), new("k2", "master moved"), new("k2", "age 1s")]);
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();

        var watch = LiveWatch.PrintChangesAsync(_ =>
        {
            if (frames.Count == 1)
            {
                stop.Cancel();
            }
            return Task.FromResult(frames.Dequeue());
        }, output, stop.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);
        Assert.Equal("age 1s\n\nmaster moved\n", output.ToString().ReplaceLineEndings("\n"));
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
