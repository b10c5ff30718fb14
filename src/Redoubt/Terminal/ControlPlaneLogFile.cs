using System.Text;
using System.Text.RegularExpressions;

namespace Redoubt.Terminal;

/// <summary>
/// The control plane's log in the home (<c>logs/control-plane.log</c>), capped: past <see cref="MaxBytes"/> it becomes
/// <c>control-plane.log.1</c> (replacing the previous one) and a new file starts, so the log never takes more than
/// twice the cap. Lines are written without colour.
/// </summary>
public sealed partial class ControlPlaneLogFile : IDisposable
{
    public const string Folder = "logs";
    public const string FileName = "control-plane.log";
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    private readonly string _path;
    private readonly long _maxBytes;
    private FileStream _stream;

    private ControlPlaneLogFile(string path, long maxBytes)
    {
        _path = path;
        _maxBytes = maxBytes;
        _stream = Open(path);
    }

    public string Path => _path;

    public long MaxBytes => _maxBytes;

    public static string PathIn(string home) => System.IO.Path.Combine(home, Folder, FileName);

    /// <summary>Opens (appending) the log of the home, creating its folder readable by the owner only.</summary>
    public static ControlPlaneLogFile OpenIn(string home, long maxBytes = DefaultMaxBytes)
    {
        var path = PathIn(home);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new ControlPlaneLogFile(path, maxBytes);
    }

    /// <summary>Called under the caller's lock: one writer at a time.</summary>
    public void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(AnsiCodes().Replace(line, "") + "\n");
        if (_stream.Length > 0 && _stream.Length + bytes.Length > _maxBytes)
        {
            Rotate();
        }
        _stream.Write(bytes);
        _stream.Flush();
    }

    private void Rotate()
    {
        _stream.Dispose();
        File.Move(_path, _path + ".1", overwrite: true);
        _stream = Open(_path);
    }

    private static FileStream Open(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Append,
        Access = FileAccess.Write,
        Share = FileShare.ReadWrite | FileShare.Delete,
        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
    });

    public void Dispose() => _stream.Dispose();

    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex AnsiCodes();
}
