using System.Text;

namespace Redoubt.Platforms.Local;

/// <summary>Writes that are either complete or not there: a crash mid-write never leaves half a file.</summary>
internal static class AtomicFile
{
    public static void Write(string path, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite, bool durable = true)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode }))
        {
            stream.Write(Encoding.UTF8.GetBytes(content));
            stream.Flush(flushToDisk: durable);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static string? ReadOrNull(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
