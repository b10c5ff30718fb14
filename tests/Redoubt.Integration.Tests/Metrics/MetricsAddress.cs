using System.Diagnostics;
using System.Text.RegularExpressions;
using Redoubt.Integration.Tests.Infrastructure;

namespace Redoubt.Integration.Tests.Metrics;

/// <summary>Where a `redoubt serve` of the test serves /metrics: the address it prints when its web listener is up.</summary>
internal static partial class MetricsAddress
{
    [GeneratedRegex(@"Serving metrics and the dashboard on (http://[^\s]+/)")]
    private static partial Regex Serving();

    public static async Task<Uri> OfAsync(RedoubtCli cli, Process serve)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (cli.ServeOutput.Select(line => Serving().Match(line)).FirstOrDefault(m => m.Success) is { } match)
            {
                return new Uri(new Uri(match.Groups[1].Value), "metrics");
            }

            if (serve.HasExited)
            {
                Assert.Fail($"redoubt serve exited ({serve.ExitCode}) before serving metrics:\n{string.Join('\n', cli.ServeOutput)}");
            }

            await Task.Delay(100);
        }

        Assert.Fail($"redoubt serve did not say where it serves metrics within 60 s:\n{string.Join('\n', cli.ServeOutput)}");
        return null!;
    }
}
