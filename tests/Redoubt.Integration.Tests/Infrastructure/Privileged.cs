using System.Diagnostics;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>Runs a command as root: directly when the tests run as root, else through password-less sudo.</summary>
internal static class Privileged
{
    private static bool Root => Environment.UserName == "root";

    /// <summary>The exit code and the standard error of <paramref name="command"/>; fails the test when it cannot start or does not end in time.</summary>
    public static async Task<(int Exit, string Error)> RunAsync(string command, params string[] arguments)
    {
        var (exit, _, error) = await RunWithOutputAsync(command, arguments, TimeSpan.FromSeconds(30));
        return (exit, error);
    }

    public static async Task<(int Exit, string Output, string Error)> RunWithOutputAsync(string command, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Root ? command : "sudo") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (!Root)
        {
            // sudo resets the environment: what the command needs goes through env, after sudo.
            info.ArgumentList.Add("-n");
            info.ArgumentList.Add("env");
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                info.ArgumentList.Add($"{key}={value}");
            }

            info.ArgumentList.Add(command);
        }
        else
        {
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                info.Environment[key] = value;
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run {command}{(Root ? "" : " through sudo")}: {e.Message}; ./run-tests installs what these tests need", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"{command} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:F0} s. Output:\n{await output}\n{await error}");
            }

            return (process.ExitCode, await output, await error);
        }
    }
}
