using System.ComponentModel;
using System.Diagnostics;
using Redoubt.Core;

namespace Redoubt.Platforms.Local;

/// <summary>The Redis the local platform runs: the installed redis-server's version, with redis-sentinel there too.</summary>
internal static class InstalledRedis
{
    // `--version` answers at once; a binary that does not is not one the control plane can run.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The installed redis-server version, e.g. "7.0.15"; fails with what to install when either binary is missing.</summary>
    public static async Task<string> VersionAsync(LocalOptions options, CancellationToken cancellationToken)
    {
        var version = await VersionOfAsync(options.RedisServer, cancellationToken).ConfigureAwait(false);
        await VersionOfAsync(options.RedisSentinel, cancellationToken).ConfigureAwait(false);
        return version;
    }

    private static async Task<string> VersionOfAsync(string binary, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ProbeTimeout);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(binary, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
                ?? throw new RedoubtException($"could not run {binary}");
            try
            {
                var output = await process.StandardOutput.ReadToEndAsync(deadline.Token).ConfigureAwait(false);
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
                var marker = output.IndexOf("v=", StringComparison.Ordinal);
                return marker < 0 ? "unknown" : output[(marker + 2)..].Split(' ')[0];
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill();
                throw new RedoubtException($"{binary} --version did not answer within {ProbeTimeout.TotalSeconds:F0} s; check the Redis installation", e);
            }
        }
        catch (Win32Exception e)
        {
            throw new RedoubtException($"{binary} is not installed (not found on PATH); install the redis-server, redis-sentinel and redis-tools packages (the ./redoubt script does it for you)", e);
        }
    }
}
