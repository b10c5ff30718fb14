using Redoubt.Commands;
using Redoubt.Core;

namespace Redoubt.Integration.Tests.EndToEnd;

/// <summary>What `apply -f`, `up -f` and `render -f` read: a file of bounded size, never a device read until memory runs out.</summary>
public sealed class InputFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "redoubt-input-" + Guid.NewGuid().ToString("N")[..8]);

    public InputFileTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task ADeviceThatNeverEndsIsRefusedNotReadForever()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<RedoubtException>(() => InputFile.ReadAsync("/dev/zero", deadline.Token));

        Assert.Equal("/dev/zero: more than 4 MiB; a Redis resource file is a few hundred bytes: give the YAML file with -f FILE", error.Message);
    }

    [Fact]
    public async Task AFileUpToTheLimitIsReadWholeAndOneByteMoreIsRefused()
    {
        var atLimit = Path.Combine(_folder, "at-limit.yaml");
        await File.WriteAllTextAsync(atLimit, "# " + new string('x', InputFile.MaxBytes - 3) + "\n");
        var over = Path.Combine(_folder, "over.yaml");
        await File.WriteAllTextAsync(over, "# " + new string('x', InputFile.MaxBytes - 2) + "\n");

        var (text, name) = await InputFile.ReadAsync(atLimit, CancellationToken.None);

        Assert.Equal((InputFile.MaxBytes, atLimit), (text.Length, name));
        await Assert.ThrowsAsync<RedoubtException>(() => InputFile.ReadAsync(over, CancellationToken.None));
    }

    [Fact]
    public async Task AByteOrderMarkIsNotPartOfTheText()
    {
        var file = Path.Combine(_folder, "bom.yaml");
        await File.WriteAllBytesAsync(file, [0xEF, 0xBB, 0xBF, .. "kind: Redis\n"u8.ToArray()]);

        Assert.Equal("kind: Redis\n", (await InputFile.ReadAsync(file, CancellationToken.None)).Text);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
