using System.Diagnostics;

namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>
/// Where kube-apiserver and kube-controller-manager (and, for a node, kube-scheduler and kubelet) are:
/// tests/cluster/kube-binaries.sh prints the directory of its cache, building them first on a machine that has never
/// built them (about 13 minutes on 2 cores).
/// </summary>
internal static class KubeBinaries
{
    // A first build on a busy shared machine can take far longer than the quiet-machine figure.
    private static readonly TimeSpan BuildDeadline = TimeSpan.FromMinutes(60);

    private static readonly string[] ControlPlane = ["kube-apiserver", "kube-controller-manager"];

    public static Task<string> EnsureAsync(CancellationToken ct) => EnsureAsync(ControlPlane, ct);

    public static async Task<string> EnsureAsync(IReadOnlyList<string> binaries, CancellationToken ct)
    {
        var script = TestPaths.BinariesScript;
        var start = new ProcessStartInfo("bash", [script, .. binaries])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {script}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(BuildDeadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {BuildDeadline.TotalMinutes} minutes; its output:\n{await stderr}");
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || lines.Length == 0)
        {
            throw new InvalidOperationException(
                $"{script} failed (exit code {process.ExitCode}), so there is no kube-apiserver to test against. Its output:\n{await stderr}");
        }

        var directory = lines[^1];
        foreach (var binary in binaries)
        {
            if (!File.Exists(Path.Combine(directory, binary)))
            {
                throw new InvalidOperationException($"{script} printed {directory}, which has no {binary}");
            }
        }

        return directory;
    }
}
