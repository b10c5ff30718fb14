using System.Globalization;
using System.Text.RegularExpressions;
using Redoubt.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// The partition tests on a host that looks like one with Docker installed: their whole test process, control plane
/// included, runs in a network namespace of this test's whose iptables FORWARD policy is DROP (Docker's), with
/// br_netfilter in effect there as in any new namespace once the module is loaded. Zones joined by a bridge in the
/// host's namespace never became Ready on such a host; see <see cref="ZoneNetworks"/> for why they now do.
/// </summary>
public sealed partial class DockerLikeHostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThePartitionTestsPassOnAHostThatDropsForwardedTraffic()
    {
        var host = $"redoubt-dockerlike-{Environment.ProcessId}";
        await RootAsync("ip", "netns", "add", host);
        try
        {
            await RootAsync("ip", "-n", host, "link", "set", "lo", "up");
            await RootAsync("ip", "netns", "exec", host, "iptables", "-P", "FORWARD", "DROP");
            // With the nftables backend, iptables hooks a chain only once a command names it: these make OUTPUT count.
            await RootAsync("ip", "netns", "exec", host, "iptables", "-P", "INPUT", "ACCEPT");
            await RootAsync("ip", "netns", "exec", host, "iptables", "-P", "OUTPUT", "ACCEPT");
            var bridgeFilter = await Privileged.RunWithOutputAsync("ip", ["netns", "exec", host, "cat", "/proc/sys/net/bridge/bridge-nf-call-iptables"], TimeSpan.FromSeconds(30));
            // Without br_netfilter (not loaded on this machine) bridged frames skip iptables anyway; the run still
            // shows the tests do not depend on the FORWARD policy, but not the whole Docker case.
            output.WriteLine($"br_netfilter in the Docker-like namespace: {(bridgeFilter.Exit == 0 ? "bridge-nf-call-iptables=" + bridgeFilter.Output.Trim() : "not loaded")}");

            var assembly = typeof(DockerLikeHostTests).Assembly.Location;
            var results = Path.Combine(Path.GetTempPath(), "redoubt-tests", "dockerlike-" + Guid.NewGuid().ToString("N")[..8]);
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
            var (exit, stdout, stderr) = await Privileged.RunWithOutputAsync(
                "ip",
                ["netns", "exec", host, dotnet, "test", assembly, "--nologo", "--results-directory", results, "--filter", "FullyQualifiedName~Redoubt.Integration.Tests.Local.PartitionTests."],
                TimeSpan.FromMinutes(8));
            output.WriteLine(stdout);
            output.WriteLine(stderr);
            Directory.Delete(results, recursive: true);

            var summary = Summary().Match(stdout);
            Assert.True(exit == 0 && summary.Success, $"the partition tests failed in the Docker-like namespace (exit {exit}); their output is above");
            Assert.Equal(0, int.Parse(summary.Groups["failed"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(2, int.Parse(summary.Groups["passed"].Value, CultureInfo.InvariantCulture));

            // Nothing they sent was even offered to this host's FORWARD chain, while the control plane's traffic went
            // through its OUTPUT chain: the path the design relies on.
            Assert.Equal(0, await PolicyPacketsAsync(host, "FORWARD"));
            Assert.True(await PolicyPacketsAsync(host, "OUTPUT") > 0, "no packet went through the OUTPUT chain of the Docker-like namespace: the control plane's traffic took another path");
        }
        finally
        {
            await RootAsync("ip", "netns", "del", host);
        }
    }

    /// <summary>The packets that reached the chain's policy: every packet, since the chains have no rules.</summary>
    private static async Task<long> PolicyPacketsAsync(string host, string chain)
    {
        var (exit, listing, error) = await Privileged.RunWithOutputAsync("ip", ["netns", "exec", host, "iptables", "-L", chain, "-v", "-n", "-x"], TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"iptables -L {chain} failed: {error}");
        var policy = Policy().Match(listing);
        Assert.True(policy.Success, $"no policy counter in:\n{listing}");
        return long.Parse(policy.Groups["packets"].Value, CultureInfo.InvariantCulture);
    }

    private static async Task RootAsync(string command, params string[] arguments)
    {
        var (exit, error) = await Privileged.RunAsync(command, arguments);
        Assert.True(exit == 0, $"{command} {string.Join(' ', arguments)} failed ({exit}): {error.Trim()}; this test needs root or password-less sudo, iproute2 and iptables (./run-tests installs them)");
    }

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+)")]
    private static partial Regex Summary();

    [GeneratedRegex(@"\(policy \w+ (?<packets>\d+) packets")]
    private static partial Regex Policy();
}
