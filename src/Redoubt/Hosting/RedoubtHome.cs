using System.Text;
using Redoubt.Core;

namespace Redoubt.Hosting;

/// <summary>The folder holding every resource's state and the control plane's socket.</summary>
public sealed record RedoubtHome(string Path)
{
    public const string EnvironmentVariable = "REDOUBT_HOME";
    public const string SocketFileName = "control.sock";

    // sun_path is 108 bytes on Linux, including the terminating NUL.
    private const int MaxSocketPathBytes = 107;

    public string SocketPath => System.IO.Path.Combine(Path, SocketFileName);

    /// <summary>The <c>--home</c> option when given, else <c>$REDOUBT_HOME</c>, else <c>~/.local/share/redoubt</c>.</summary>
    public static RedoubtHome Resolve(string? option)
    {
        var path = option;
        if (string.IsNullOrWhiteSpace(path))
        {
            path = Environment.GetEnvironmentVariable(EnvironmentVariable);
        }
        if (string.IsNullOrWhiteSpace(path))
        {
            path = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "redoubt");
        }
        return new RedoubtHome(System.IO.Path.GetFullPath(path));
    }

    /// <summary>Creates the folder readable by its owner only; secrets and the API socket live in it.</summary>
    public void EnsureExists()
    {
        if (File.Exists(Path))
        {
            throw new RedoubtException($"{Path} is a file, not a folder: choose another home with --home or {EnvironmentVariable}");
        }
        if (!Directory.Exists(Path))
        {
            try
            {
                Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new RedoubtException(
                    $"cannot create the home folder {Path}: {exception.Message.TrimEnd('.')}; choose another with --home or {EnvironmentVariable}", exception);
            }
        }
        var length = Encoding.UTF8.GetByteCount(SocketPath);
        if (length > MaxSocketPathBytes)
        {
            throw new RedoubtException(
                $"the control socket {SocketPath} would be {length} bytes long and Unix sockets allow {MaxSocketPathBytes}: " +
                $"choose a shorter home with --home or {EnvironmentVariable}");
        }
    }

    public override string ToString() => Path;
}
