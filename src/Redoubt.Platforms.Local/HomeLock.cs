using System.Globalization;
using System.Text;
using Redoubt.Core;

namespace Redoubt.Platforms.Local;

/// <summary>
/// The one control plane a home may have: an exclusive lock on <c>control.lock</c> (FileShare.None is an exclusive
/// flock on Linux), holding the pid of the process that serves it so a second one can say who does.
/// </summary>
internal sealed class HomeLock : IDisposable
{
    private readonly FileStream _stream;

    private HomeLock(FileStream stream) => _stream = stream;

    /// <summary>Creates the home if needed and locks it; fails with who holds it when another control plane serves it.</summary>
    public static HomeLock Take(string home)
    {
        var path = Path.Combine(home, "control.lock");
        FileStream? stream = null;
        try
        {
            Directory.CreateDirectory(home, ResourceFolder.PrivateDirectory);
            Directory.CreateDirectory(Path.Combine(home, "resources"), ResourceFolder.PrivateDirectory);
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            stream.SetLength(0);
            stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush();
            return new HomeLock(stream);
        }
        catch (IOException e) when (stream is null && File.Exists(path))
        {
            var holder = HolderOf(path);
            throw new RedoubtException($"another control plane{(holder is null ? "" : $" (pid {holder})")} is already serving {home}; use `redoubt apply`, `get` and the other commands against it, or stop it first", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            throw new RedoubtException($"cannot use the state folder {home}: {e.Message}; set REDOUBT_HOME (or --home) to a folder you can write", e);
        }
    }

    private static string? HolderOf(string path)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadLine()?.Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
