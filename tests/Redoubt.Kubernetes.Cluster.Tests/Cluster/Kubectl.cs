using System.Diagnostics;

namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>The installed kubectl (a newer client than the 1.20 server; it warns about the skew) against the test cluster.</summary>
internal static class Kubectl
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    public static async Task<Result> RunAsync(string kubeconfig, IEnumerable<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo("kubectl", [$"--kubeconfig={kubeconfig}", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TestPaths.RepositoryRoot,
        };
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start kubectl");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
