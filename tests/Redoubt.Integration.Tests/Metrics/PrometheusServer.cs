using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Metrics;

/// <summary>
/// A real Prometheus of the test's own: its own config and storage folder, on a free loopback port, scraping the given
/// targets every second; stopped by its pid at dispose. A system Prometheus, if one runs, is neither used nor touched.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;
    private readonly string _folder;
    private readonly ITestOutputHelper _output;

    private PrometheusServer(Process process, string folder, Uri address, ITestOutputHelper output)
    {
        _process = process;
        _folder = folder;
        Address = address;
        _output = output;
    }

    public Uri Address { get; }

    /// <param name="targets">host:port of each /metrics to scrape.</param>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<string> targets, ITestOutputHelper output)
    {
        var binary = MonitoringTools.Require("prometheus");
        var folder = Path.Combine(Path.GetTempPath(), "redoubt-prometheus", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $$"""
            global:
              scrape_interval: 1s
              scrape_timeout: 900ms
              evaluation_interval: 1s
            scrape_configs:
              - job_name: redoubt
                static_configs:
                  - targets: [{{string.Join(", ", targets.Select(t => $"\"{t}\""))}}]
            """);

        // A port that was free a moment ago may be taken before Prometheus binds it: then it exits, and another is tried.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[]
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            })
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, line) => Log(output, line.Data);
            process.ErrorDataReceived += (_, line) => Log(output, line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}/"), output);
            if (await server.WaitReadyAsync(TimeSpan.FromSeconds(30)))
            {
                return server;
            }

            await server.DisposeAsync();
            Assert.True(attempt < 3, $"prometheus did not become ready on 127.0.0.1:{port} within 30 s (its log is in the test output)");
        }
    }

    /// <summary>The instant vector <paramref name="query"/> evaluates to now: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string query)
    {
        var json = await Http.GetStringAsync(new Uri(Address, $"api/v1/query?query={Uri.EscapeDataString(query)}"));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.True(root.GetProperty("status").GetString() == "success", $"Prometheus refused `{query}`: {json}");
        return [.. root.GetProperty("data").GetProperty("result").EnumerateArray().Select(series => (
            (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal),
            double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>Polls <paramref name="query"/> until its result satisfies <paramref name="condition"/>; fails with the last result otherwise.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> WaitForAsync(
        string query, Func<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>, bool> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> last = [];
        while (clock.Elapsed < timeout)
        {
            last = await QueryAsync(query);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"Prometheus never showed {what} within {timeout.TotalSeconds:F0} s. Last result of `{query}`: "
            + (last.Count == 0 ? "no series" : string.Join("; ", last.Select(s => $"{{{string.Join(", ", s.Labels.Select(l => $"{l.Key}={l.Value}"))}}} {s.Value}")))
            + $". Check the targets page {Address}targets.");
        return last;
    }

    private async Task<bool> WaitReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !_process.HasExited)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(Address, "-/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Log(ITestOutputHelper output, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            output.WriteLine($"prometheus: {line}");
        }
        catch (InvalidOperationException)
        {
            // The test has ended.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(deadline.Token);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException e)
        {
            _output.WriteLine($"could not remove {_folder}: {e.Message}");
        }
    }
}
