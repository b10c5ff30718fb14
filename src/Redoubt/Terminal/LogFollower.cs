using System.Text;

namespace Redoubt.Terminal;

/// <summary>
/// Prints a log file's last lines and, when following, the lines written after them, as `tail -f` does: polls the
/// file's length, starts over when the file was truncated, and holds back a line until its end is written.
/// </summary>
public static class LogFollower
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <param name="tail">How many of the last lines to print first; null: all of them.</param>
    public static async Task PrintAsync(string path, int? tail, bool follow, TextWriter output, CancellationToken cancellationToken)
    {
        while (!File.Exists(path))
        {
            if (!follow)
            {
                return;
            }
            await Task.Delay(Poll, cancellationToken);
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var pending = new StringBuilder();
        var first = ReadAvailable(stream, pending);
        foreach (var line in tail is { } count ? first.TakeLast(count) : first)
        {
            await output.WriteLineAsync(line);
        }
        await output.FlushAsync(cancellationToken);

        while (follow)
        {
            await Task.Delay(Poll, cancellationToken);
            if (stream.Length < stream.Position)
            {
                // Truncated (or rewritten): what is there now is all new.
                stream.Position = 0;
                pending.Clear();
            }
            foreach (var line in ReadAvailable(stream, pending))
            {
                await output.WriteLineAsync(line);
            }
            await output.FlushAsync(cancellationToken);
        }
    }

    /// <summary>The complete lines from the stream's position to its end; a trailing partial line stays in <paramref name="pending"/>.</summary>
    public static List<string> ReadAvailable(Stream stream, StringBuilder pending)
    {
        var lines = new List<string>();
        var buffer = new byte[64 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var count = decoder.GetChars(buffer, 0, read, chars, 0);
            for (var index = 0; index < count; index++)
            {
                if (chars[index] == '\n')
                {
                    lines.Add(pending.ToString().TrimEnd('\r'));
                    pending.Clear();
                }
                else
                {
                    pending.Append(chars[index]);
                }
            }
        }
        return lines;
    }
}
