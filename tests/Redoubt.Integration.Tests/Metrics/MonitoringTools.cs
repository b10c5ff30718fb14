using System.Diagnostics;

namespace Redoubt.Integration.Tests.Metrics;

/// <summary>
/// Prometheus' own programs (Debian's <c>prometheus</c> package ships both): the tests fail, never skip, without them,
/// with a message that says how to get them.
/// </summary>
internal static class MonitoringTools
{
    public static string Require(string binary)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, binary)).FirstOrDefault(File.Exists);
        Assert.True(path is not null, $"{binary} is not installed. Run the test command from the README (./run-tests), which installs the prometheus package (it brings prometheus and promtool).");
        return path!;
    }

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Monitoring(string file) => Path.Combine(RepositoryRoot, "deploy", "monitoring", file);

    /// <summary>Runs <paramref name="binary"/> to its end (within a minute) and returns its exit code and output.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string binary, params string[] arguments)
    {
        var info = new ProcessStartInfo(Require(binary)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail($"{binary} {string.Join(' ', arguments)} did not finish within a minute");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Redoubt.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Redoubt.slnx above {AppContext.BaseDirectory}");
    }
}
