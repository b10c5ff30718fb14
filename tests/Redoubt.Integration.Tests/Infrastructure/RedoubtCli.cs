using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Redoubt.Platforms.Local;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// Drives the real `redoubt` command as a user would, in a home and on a loopback network of its own (one of
/// 127.230-127.249, leased until dispose so no other test, in this run or another, uses it meanwhile).
/// </summary>
internal sealed class RedoubtCli : IDisposable
{
    private readonly List<Process> _background = [];
    private readonly NetworkLease _network;

    public RedoubtCli()
    {
        RedisInstallation.Require();
        _network = NetworkLease.Take("cli", 230, 20);
        Home = Path.Combine(Path.GetTempPath(), "redoubt-e2e", Guid.NewGuid().ToString("N")[..12]);
        Environment = new Dictionary<string, string>
        {
            ["REDOUBT_HOME"] = Home,
            ["REDOUBT_ZONE_NETWORK"] = $"127.{_network.Number}",
            ["REDOUBT_PORT_BASE"] = "36000",
            ["REDOUBT_SENTINEL_PORT_BASE"] = "46000",
            // Any free port: the default one is the user's, and tests run side by side.
            ["REDOUBT_WEB"] = "127.0.0.1:0",
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

    /// <summary>Every line the `serve` processes of this home printed (stdout and stderr), in the order they came.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ServeOutput { get; } = new();

    /// <summary>`redoubt serve` in the background; stopped (or killed) by the test or at dispose. Its output goes to <see cref="ServeOutput"/>.</summary>
    public Process Serve(IDictionary<string, string>? extra = null)
    {
        var process = Start(["serve"], extra);
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _background.Add(process);
        return process;
    }

    /// <summary>
    /// Any command in the background (`up`, `get -w`, `logs -f`), its stdout and stderr kept line by line; stopped (or
    /// killed) by the test or at dispose.
    /// </summary>
    public Process Background(string[] arguments, System.Collections.Concurrent.ConcurrentQueue<string> stdout, System.Collections.Concurrent.ConcurrentQueue<string> stderr)
    {
        var process = Start(arguments, null);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) { stdout.Enqueue(line.Data); } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { stderr.Enqueue(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _background.Add(process);
        return process;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            ServeOutput.Enqueue(line);
        }
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

        // Whatever a killed control plane left running belongs to this home: stop it by its pid files, and wait
        // until it is gone before the network is leased to the next test (its ports would still be bound).
        if (Directory.Exists(Home))
        {
            var killed = new List<int>();
            foreach (var pidFile in Directory.EnumerateFiles(Home, "pid", SearchOption.AllDirectories))
            {
                // The start time guards against a pid the system has since given to an unrelated process.
                if (File.ReadAllText(pidFile).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [var pidText, var startText]
                    && int.TryParse(pidText, out var pid) && long.TryParse(startText, out var startTime)
                    && Signals.ProcStat(pid)?.StartTime == startTime && Processes.TrySignal(pid, Processes.SigKill))
                {
                    killed.Add(pid);
                }
            }

            // A node started as its control plane was killed may have no pid file yet: it still runs in its data
            // directory under the home (seen: a Sentinel left running after a clean-clone run).
            foreach (var pid in RunningUnder(Home).Where(pid => !killed.Contains(pid)))
            {
                if (Processes.TrySignal(pid, Processes.SigKill))
                {
                    killed.Add(pid);
                }
            }

            var gone = SpinWait.SpinUntil(() => killed.All(pid => !Signals.IsAlive(pid)), TimeSpan.FromSeconds(10));
            Assert.True(gone, $"nodes of {Home} still run 10 s after SIGKILL: pids {string.Join(", ", killed.Where(Signals.IsAlive))}");

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

        // Last: whatever used the network has been stopped.
        _network.Dispose();
    }

    /// <summary>The processes whose working directory is under <paramref name="folder"/>.</summary>
    private static List<int> RunningUnder(string folder)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == System.Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (Directory.ResolveLinkTarget(Path.Combine(entry, "cwd"), returnFinalTarget: false)?.FullName is { } cwd
                    && (cwd == folder || cwd.StartsWith(folder + "/", StringComparison.Ordinal)))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }
}
