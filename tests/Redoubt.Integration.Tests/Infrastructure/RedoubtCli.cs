using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>Drives the real `redoubt` command as a user would, in a home and on a loopback network of its own.</summary>
internal sealed class RedoubtCli : IDisposable
{
    private static int _instances;
    private readonly List<Process> _background = [];

    public RedoubtCli()
    {
        RedisInstallation.Require();
        var n = Interlocked.Increment(ref _instances) + (System.Environment.ProcessId % 50) * 3;
        Home = Path.Combine(Path.GetTempPath(), "redoubt-e2e", Guid.NewGuid().ToString("N")[..12]);
        Environment = new Dictionary<string, string>
        {
            ["REDOUBT_HOME"] = Home,
            ["REDOUBT_ZONE_NETWORK"] = $"127.{230 + n % 20}",
            ["REDOUBT_PORT_BASE"] = (36000 + n % 40 * 50).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REDOUBT_SENTINEL_PORT_BASE"] = (46000 + n % 40 * 50).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public string Home { get; }
    public Dictionary<string, string> Environment { get; }
    public string Network => Environment["REDOUBT_ZONE_NETWORK"];

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] arguments) => await RunAsync(arguments, null);

    public async Task<(int Exit, string Out, string Err)> RunAsync(string[] arguments, IDictionary<string, string>? extra)
    {
        using var process = Start(arguments, extra);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"redoubt {string.Join(' ', arguments)} did not finish within 90 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>`redoubt serve` in the background; stopped (or killed) by the test or at dispose.</summary>
    public Process Serve()
    {
        var process = Start(["serve"], null);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _background.Add(process);
        return process;
    }

    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(60)))
        {
            var (exit, output, _) = await RunAsync("get", name, "-o", "json");
            if (exit == 0)
            {
                last = output;
                var resource = JsonDocument.Parse(output).RootElement.Clone();
                if (condition(resource))
                {
                    return resource;
                }
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{name} did not reach '{what}'. Last `get -o json`:\n{last}");
        return default;
    }

    public Task<JsonElement> WaitReadyAsync(string name) =>
        WaitForAsync(name, r => r.TryGetProperty("status", out var s) && s.GetProperty("phase").GetString() == "Ready", "phase Ready");

    public static string WriteFile(string name, string content)
    {
        var folder = Path.Combine(Path.GetTempPath(), "redoubt-e2e-files", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content, Encoding.UTF8);
        return path;
    }

    private Process Start(string[] arguments, IDictionary<string, string>? extra)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "redoubt.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Environment)
        {
            info.Environment[key] = value;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _background.Where(p => !p.HasExited))
        {
            process.Kill();
            process.WaitForExit(5000);
        }

        // Whatever a killed control plane left running belongs to this home: stop it by its pid files.
        if (Directory.Exists(Home))
        {
            foreach (var pidFile in Directory.EnumerateFiles(Home, "pid", SearchOption.AllDirectories))
            {
                if (int.TryParse(File.ReadAllText(pidFile).Split(' ')[0], out var pid))
                {
                    Processes.TrySignal(pid, Processes.SigKill);
                }
            }

            try
            {
                Directory.Delete(Home, recursive: true);
            }
            catch (IOException)
            {
                // A dying node may still write its last log line.
            }
        }

        foreach (var process in _background)
        {
            process.Dispose();
        }
    }
}
