using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Redoubt.Bench.Clusters;
using Redoubt.Bench.Reporting;
using Redoubt.Kubernetes.Tests.Dashboard;

namespace Redoubt.Bench;

/// <summary>
/// The dashboard's cost and speed on `redoubt serve` as users run it (a process of its own, started by the checkout's
/// <c>./redoubt</c>): the control plane's CPU
/// (% of one core) and RSS idle with 1 and with 10 resources, each without and with a client on the live feed (after a
/// minute's warm-up: the runtime recompiles the methods of passes that run every 5 s for a minute or two, which is
/// start-up, not idle; then the median of three 20 s windows); then,
/// with the feed's client and the page in chromium connected, kill -9 of a master several times: the time from the
/// status change being saved (the feed's <c>changedAt</c>) to its event reaching the client, and to the page drawing it.
/// </summary>
internal sealed partial class DashboardCommand(BenchOptions options, BenchHome home)
{
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(60);
    private const int Windows = 3;
    private const string Chromium = "/usr/bin/chromium";

    // Apart from the other benches (127.240-241) and the integration tests (127.20-127.219, 127.230-249 with 36000+).
    private const string ZoneNetwork = "127.225";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"Dashboard: `redoubt serve` in a process of its own, resources of replicas: 3; {Environment.ProcessorCount} cores");
        var folder = home.For("dashboard");
        Directory.CreateDirectory(folder);
        await BuildAsync(folder, cancellationToken);
        using var serve = Start(folder, "serve");
        var lines = new List<string>();
        serve.OutputDataReceived += (_, e) => { lock (lines) { if (e.Data is not null) lines.Add(e.Data); } };
        serve.ErrorDataReceived += (_, e) => { lock (lines) { if (e.Data is not null) lines.Add(e.Data); } };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            var address = await AddressAsync(lines, cancellationToken);
            var token = (await File.ReadAllTextAsync(Path.Combine(folder, "web-token"), cancellationToken)).Trim();
            using var http = new HttpClient { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            await ApplyAsync(folder, ["d01"], http, cancellationToken);
            await IdleTwiceAsync(serve.Id, 1, http, cancellationToken);
            await ApplyAsync(folder, [.. Enumerable.Range(2, 9).Select(i => $"d{i.ToString("D2", CultureInfo.InvariantCulture)}")], http, cancellationToken);
            await IdleTwiceAsync(serve.Id, 10, http, cancellationToken);
            await LatencyAsync(address, token, http, cancellationToken);
            return 0;
        }
        finally
        {
            serve.Kill();
            await serve.WaitForExitAsync(CancellationToken.None);
            Signals.KillEverythingUnder(folder);
        }
    }

    private static async Task IdleTwiceAsync(int pid, int resources, HttpClient http, CancellationToken cancellationToken)
    {
        await Task.Delay(Warmup, cancellationToken);
        var alone = await IdleWindowsAsync(pid, cancellationToken);
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = 0;
        var client = ListenAsync(http, (_, _) => Interlocked.Increment(ref events), listening.Token);
        await Task.Delay(Settle, cancellationToken);
        var watched = await IdleWindowsAsync(pid, cancellationToken);
        await listening.CancelAsync();
        await client;
        Console.WriteLine($"  idle, {resources,2} resource(s), no dashboard client:    control plane {alone.Cpu,5:F2}% of one core (windows {alone.Each}), RSS {alone.RssMb,4:F0} MB");
        Console.WriteLine($"  idle, {resources,2} resource(s), a live-feed client:      control plane {watched.Cpu,5:F2}% of one core (windows {watched.Each}), RSS {watched.RssMb,4:F0} MB ({events} events in {(Windows * IdleWindow + Settle).TotalSeconds:F0} s)");
    }

    /// <summary>The median CPU of <see cref="Windows"/> windows, each window's figure, and the RSS after the last.</summary>
    private static async Task<(double Cpu, string Each, double RssMb)> IdleWindowsAsync(int pid, CancellationToken cancellationToken)
    {
        var windows = new List<Usage>();
        for (var i = 0; i < Windows; i++)
        {
            windows.Add(await IdleAsync(pid, cancellationToken));
        }

        var cpus = windows.Select(w => w.Cpu).Order().ToList();
        return (cpus[cpus.Count / 2], string.Join(", ", windows.Select(w => w.Cpu.ToString("F2", CultureInfo.InvariantCulture))), windows[^1].RssMb);
    }

    private async Task LatencyAsync(Uri address, string token, HttpClient http, CancellationToken cancellationToken)
    {
        var received = new List<(DateTimeOffset At, JsonElement View)>();
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var client = ListenAsync(http, (at, view) => { lock (received) { received.Add((at, view)); } }, listening.Token);

        IPlaywright? playwright = null;
        IBrowser? browser = null;
        IPage? page = null;
        if (File.Exists(Chromium))
        {
            playwright = await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            page = await browser.NewPageAsync();
            await page.GotoAsync($"{address}?token={token}#default%2Fd01");
        }

        var toClient = new List<double>();
        var killToClient = new List<double>();
        var drawn = new List<double>();
        for (var kill = 1; kill <= options.Kills; kill++)
        {
            var view = await WaitHealthyAsync(http, "d01", cancellationToken);
            var master = view.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("role").GetString() == "master");
            var (name, pid) = (master.GetProperty("name").GetString()!, master.GetProperty("pid").GetInt32());
            var drawnBefore = page is null ? 0 : await page.EvaluateAsync<int>("window.redoubtDashboard.latencies.length");
            int seen;
            lock (received)
            {
                seen = received.Count;
            }

            var killedAt = DateTimeOffset.UtcNow;
            Signals.Send(pid, Signals.Kill);
            var shown = await FirstShowingAnotherMasterAsync(received, seen, name, cancellationToken);
            var latency = (shown.At - DateTimeOffset.Parse(shown.View.GetProperty("changedAt").GetString()!, CultureInfo.InvariantCulture)).TotalMilliseconds;
            toClient.Add(latency);
            killToClient.Add((shown.At - killedAt).TotalMilliseconds);
            var line = $"    kill -9 #{kill} of {name}: the status showing the new master saved {latency:F1} ms before the feed's client had it ({(shown.At - killedAt).TotalMilliseconds:F0} ms after the kill)";
            if (page is not null)
            {
                // The page pushes, per update drawn, the time from the save to its next frame.
                await page.WaitForFunctionAsync($"window.redoubtDashboard.latencies.length > {drawnBefore} && document.getElementById('master-name').textContent !== '{name}'", null, new() { Timeout = 10_000 });
                var pageLatencies = await page.EvaluateAsync<double[]>($"window.redoubtDashboard.latencies.slice({drawnBefore})");
                drawn.AddRange(pageLatencies);
                line += $"; the page drew {pageLatencies.Length} update(s), median {Stats.Median(pageLatencies):F0} ms after their save";
            }

            Console.WriteLine(line);
        }

        await listening.CancelAsync();
        await client;
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        Console.WriteLine();
        Console.WriteLine($"  update latency over {options.Kills} kills of a master (10 resources, one feed client and one page connected):");
        Console.WriteLine($"    status saved -> event at the feed's client   median {Stats.Median(toClient),6:F1} ms  max {Stats.Max(toClient),6:F1} ms");
        Console.WriteLine($"    kill -9 -> new master at the feed's client   median {Stats.Median(killToClient),6:F0} ms  max {Stats.Max(killToClient),6:F0} ms");
        Console.WriteLine(page is null
            ? $"    the page: not measured, {Chromium} is not installed"
            : $"    status saved -> page drawn (all {drawn.Count} updates) median {Stats.Median(drawn),6:F0} ms  max {Stats.Max(drawn),6:F0} ms");
    }

    private static async Task<(DateTimeOffset At, JsonElement View)> FirstShowingAnotherMasterAsync(
        List<(DateTimeOffset At, JsonElement View)> received, int from, string oldMaster, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            lock (received)
            {
                foreach (var (at, view) in received.Skip(from))
                {
                    if (view.GetProperty("key").GetString() == "default/d01" && view.TryGetProperty("changedAt", out _)
                        && view.GetProperty("nodes").EnumerateArray().Any(n => n.GetProperty("role").GetString() == "master" && n.GetProperty("name").GetString() != oldMaster))
                    {
                        return (at, view);
                    }
                }
            }

            await Task.Delay(20, cancellationToken);
        }

        throw new TimeoutException($"the live feed did not show a master other than {oldMaster} within 30 s of the kill");
    }

    /// <summary>Reads the live feed until cancelled, handing each <c>resource</c> event over with the time it arrived.</summary>
    private static async Task ListenAsync(HttpClient http, Action<DateTimeOffset, JsonElement> onResource, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (name, data) in LiveFeedReader.ReadAsync(http, cancellationToken))
            {
                if (name == "resource")
                {
                    var at = DateTimeOffset.UtcNow;
                    onResource(at, JsonDocument.Parse(data).RootElement.Clone());
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task ApplyAsync(string folder, IReadOnlyList<string> names, HttpClient http, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, "resources.yaml");
        await File.WriteAllTextAsync(file, string.Join("---\n", names.Select(n => $"apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: {n}\nspec:\n  replicas: 3\n")), cancellationToken);
        using var apply = Start(folder, "apply", "-f", file);
        await apply.WaitForExitAsync(cancellationToken);
        if (apply.ExitCode != 0)
        {
            throw new InvalidOperationException($"redoubt apply failed: {await apply.StandardError.ReadToEndAsync(cancellationToken)}");
        }

        var clock = Stopwatch.StartNew();
        foreach (var name in names)
        {
            await WaitHealthyAsync(http, name, cancellationToken);
        }

        Console.WriteLine($"  {names.Count} resource(s) applied and Ready with every node ok in {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The resource's view once it is Ready with every node and Sentinel ok, read from the dashboard's own API.</summary>
    private static async Task<JsonElement> WaitHealthyAsync(HttpClient http, string name, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            last = await http.GetStringAsync(new Uri("api/resources", UriKind.Relative), timeout.Token);
            var view = JsonDocument.Parse(last).RootElement.EnumerateArray().FirstOrDefault(v => v.GetProperty("name").GetString() == name);
            if (view.ValueKind == JsonValueKind.Object && view.GetProperty("phase").GetString() == "Ready"
                && view.GetProperty("nodes").EnumerateArray().All(n => n.GetProperty("health").GetString() == "ok")
                && view.GetProperty("sentinels").EnumerateArray().All(n => n.GetProperty("health").GetString() == "ok"))
            {
                return view.Clone();
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"{name} was not Ready with every node ok within 3 minutes; last /api/resources: {last}");
    }

    private sealed record Usage(double Cpu, double RssMb);

    private static async Task<Usage> IdleAsync(int pid, CancellationToken cancellationToken)
    {
        var before = CpuTicks(pid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(IdleWindow, cancellationToken);
        var after = CpuTicks(pid);
        // /proc/PID/stat counts clock ticks, 100 per second on Linux.
        var cpu = (after - before) / 100.0 / clock.Elapsed.TotalSeconds * 100;
        var rssKb = long.Parse(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return new Usage(cpu, rssKb / 1024.0);
    }

    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of stat; the split starts at field 3.
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static async Task<Uri> AddressAsync(List<string> lines, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            lock (lines)
            {
                if (lines.Select(l => ServingLine().Match(l)).FirstOrDefault(m => m.Success) is { } match)
                {
                    return new Uri(match.Groups[1].Value);
                }
            }

            await Task.Delay(100, cancellationToken);
        }

        lock (lines)
        {
            throw new TimeoutException($"`redoubt serve` did not print where the dashboard listens within 60 s:\n{string.Join('\n', lines)}");
        }
    }

    /// <summary>
    /// The checkout's <c>./redoubt</c>, as users run it: the build it makes (ReadyToRun) and the environment it sets;
    /// it replaces itself with the control plane, so the started process is the one measured.
    /// </summary>
    private static string Script => Path.Combine(Redoubt.Kubernetes.Cluster.Tests.TestPaths.RepositoryRoot, "redoubt");

    /// <summary>Lets <c>./redoubt</c> build first, so a build is not timed as the control plane's start.</summary>
    private static async Task BuildAsync(string folder, CancellationToken cancellationToken)
    {
        using var help = Start(folder, "--help");
        var output = help.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = help.StandardError.ReadToEndAsync(cancellationToken);
        await help.WaitForExitAsync(cancellationToken);
        if (help.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Script} --help failed: {await errors}{await output}");
        }
    }

    private static Process Start(string folder, params string[] arguments)
    {
        var info = new ProcessStartInfo(Script) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["REDOUBT_HOME"] = folder;
        info.Environment["REDOUBT_ZONE_NETWORK"] = ZoneNetwork;
        info.Environment["REDOUBT_PORT_BASE"] = "30000";
        info.Environment["REDOUBT_SENTINEL_PORT_BASE"] = "31000";
        info.Environment["REDOUBT_WEB"] = "127.0.0.1:0";
        return Process.Start(info) ?? throw new InvalidOperationException("could not start redoubt");
    }

    [GeneratedRegex(@"Serving metrics and the dashboard on (http://\S+)")]
    private static partial Regex ServingLine();
}
