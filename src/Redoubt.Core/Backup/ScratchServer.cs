using System.Diagnostics;

namespace Redoubt.Core.Backup;

/// <summary>
/// A redis-server of Redoubt's own that loads one backup and serves it on a Unix socket in a private folder: no TCP
/// port, no persistence, gone (folder and all) when disposed. Restores read the backup's keys from it.
/// </summary>
public sealed class ScratchServer : IAsyncDisposable
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(30);

    private readonly Process _process;
    private readonly string _folder;

    private ScratchServer(Process process, string folder)
    {
        _process = process;
        _folder = folder;
    }

    public string Socket => Path.Combine(_folder, "redis.sock");

    /// <summary>Starts it on <paramref name="snapshot"/> and returns once the snapshot is loaded.</summary>
    /// <param name="tls">
    /// For a restore into a TLS resource: a certificate of the resource and its CA. The server's MIGRATE then reaches
    /// the master over TLS (tls-cluster), trusting that CA only; Redis makes no TLS connection without a certificate of
    /// its own, though the nodes do not ask for one.
    /// </param>
    /// <param name="scratchRoot">Where its private folder is made (a folder of the caller's, e.g. the home's tmp).</param>
    public static async Task<ScratchServer> StartAsync(string redisServer, string scratchRoot, string snapshot, Planning.TlsFiles? tls, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(scratchRoot, "restore-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(folder, "backup.rdb"), Path.GetFullPath(snapshot));
        var config = Path.Combine(folder, "redis.conf");
        File.WriteAllLines(config,
        [
            "port 0",
            $"unixsocket {Quoted(Path.Combine(folder, "redis.sock"))}",
            "unixsocketperm 700",
            $"dir {Quoted(folder)}",
            "dbfilename backup.rdb",
            "save \"\"",
            "appendonly no",
            "daemonize no",
            $"logfile {Quoted(Path.Combine(folder, "redis.log"))}",
            // Keys that expired while the backup sat on disk are dropped at load, as any master does.
            .. tls is { CertificateFile: { } certificate, KeyFile: { } key }
                ? (string[])[$"tls-cert-file {Quoted(certificate)}", $"tls-key-file {Quoted(key)}", $"tls-ca-cert-file {Quoted(tls.AuthorityFile)}", "tls-cluster yes"]
                : [],
        ]);
        var info = new ProcessStartInfo(redisServer) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new RedoubtException($"could not start {redisServer}");
        var server = new ScratchServer(process, folder);
        try
        {
            await server.WaitLoadedAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A path as a Redis config value: quoted, so a home with spaces works.</summary>
    private static string Quoted(string path) => "\"" + path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private async Task WaitLoadedAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < LoadTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                var log = File.Exists(Path.Combine(_folder, "redis.log")) ? File.ReadLines(Path.Combine(_folder, "redis.log")).TakeLast(3) : [];
                throw new RedoubtException($"the server that loads the backup exited ({_process.ExitCode}): {string.Join(" / ", log)}");
            }

            if (File.Exists(Socket))
            {
                if (await KeyCopy.LoadedAsync(Socket, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        throw new RedoubtException($"the server that loads the backup did not finish loading within {LoadTimeout.TotalMinutes:F0} minutes");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next cleanup of the home's tmp folder.
        }
    }
}
