using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Redoubt.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// The only way the partition scenarios (<see cref="PartitionScenarioAttribute"/>) run: this test creates a network
/// namespace, starts a test run of them inside it (<c>ip netns exec</c>; files, the temporary folder and the SDK are
/// shared, the network stack is the namespace's), and asserts on each scenario's result. Their zone namespaces are
/// wired to that namespace, so a run never adds an address or a route to the host's.
/// <para>
/// The namespace also looks like a host with Docker installed: its iptables FORWARD policy is DROP, with br_netfilter
/// in effect as in any new namespace once the module is loaded. Zones joined by a bridge in the control plane's
/// namespace never became Ready on such a host; see <see cref="Platforms.Local.ZoneNamespaceNetwork"/> for why they
/// now do, and the FORWARD chain's counter below for the proof.
/// </para>
/// </summary>
public sealed partial class PartitionScenarioRun(ITestOutputHelper output)
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    [Fact]
    public async Task EveryPartitionScenarioPassesInANamespaceOfItsOwnThatDropsForwardedTraffic()
    {
        // The run inside selects only the scenarios; this guards against a filter that would start it again in there.
        Assert.False(TestNetworkNamespace.Inside, "this test starts the partition scenarios' run and must not run inside it");
        var scenarios = typeof(PartitionScenarioRun).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<PartitionScenarioAttribute>() is not null)
            .Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(scenarios);

        var host = $"redoubt-scenarios-{Environment.ProcessId}";
        await RootAsync("ip", "netns", "add", host);
        var results = Path.Combine(Path.GetTempPath(), "redoubt-tests", "scenarios-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await RootAsync("ip", "-n", host, "link", "set", "lo", "up");
            await RootAsync("ip", "netns", "exec", host, "iptables", "-P", "FORWARD", "DROP");
            // With the nftables backend, iptables hooks a chain only once a command names it: these make OUTPUT count.
            await RootAsync("ip", "netns", "exec", host, "iptables", "-P", "INPUT", "ACCEPT");
            await RootAsync("ip", "netns", "exec", host, "iptables", "-P", "OUTPUT", "ACCEPT");
            var bridgeFilter = await Privileged.RunWithOutputAsync("ip", ["netns", "exec", host, "cat", "/proc/sys/net/bridge/bridge-nf-call-iptables"], TimeSpan.FromSeconds(30));
            // Without br_netfilter (not loaded on every machine) bridged frames skip iptables anyway; the run still
            // shows the scenarios do not depend on the FORWARD policy, but not the whole Docker case.
            output.WriteLine($"br_netfilter in the scenarios' namespace: {(bridgeFilter.Exit == 0 ? "bridge-nf-call-iptables=" + bridgeFilter.Output.Trim() : "not loaded")}");

            var assembly = typeof(PartitionScenarioRun).Assembly.Location;
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
            var filter = string.Join('|', scenarios.Select(s => "FullyQualifiedName=" + s));
            var (exit, stdout, stderr) = await Privileged.RunWithOutputAsync(
                "ip",
                ["netns", "exec", host, dotnet, "test", assembly, "--nologo", "--results-directory", results, "--logger", "trx;LogFileName=scenarios.trx", "--filter", filter],
                TimeSpan.FromMinutes(8),
                new Dictionary<string, string> { [TestNetworkNamespace.Variable] = host, [TestNetworkNamespace.HostVariable] = Platforms.Local.ZoneNamespaceNetwork.CurrentNamespace() });

            var ran = ReadResults(Path.Combine(results, "scenarios.trx"), stdout, stderr);
            foreach (var result in ran)
            {
                output.WriteLine($"--- {result.Name}: {result.Outcome}");
                output.WriteLine(result.Output);
            }

            Assert.True(ran.Count > 0, $"the scenarios' test run (exit {exit}) ran none of them; its output:\n{stdout}\n{stderr}");
            var failures = ran.Where(r => r.Outcome != "Passed").Select(r => $"{r.Name}: {r.Outcome}\n{r.Message}").ToList();
            Assert.True(failures.Count == 0, $"{failures.Count} of {ran.Count} partition scenario(s) did not pass in the namespace {host}:\n\n{string.Join("\n\n", failures)}");
            Assert.Equal(scenarios, ran.Select(r => r.Name).Order(StringComparer.Ordinal));
            Assert.True(exit == 0, $"the scenarios' test run ended with exit code {exit} though every scenario passed:\n{stdout}\n{stderr}");

            // Nothing they sent was even offered to this namespace's FORWARD chain, while the control plane's traffic
            // went through its OUTPUT chain: the path the design relies on.
            Assert.Equal(0, await PolicyPacketsAsync(host, "FORWARD"));
            Assert.True(await PolicyPacketsAsync(host, "OUTPUT") > 0, "no packet went through the OUTPUT chain of the scenarios' namespace: the control plane's traffic took another path");
        }
        finally
        {
            await RootAsync("ip", "netns", "del", host);
            if (Directory.Exists(results))
            {
                Directory.Delete(results, recursive: true);
            }
        }
    }

    private sealed record ScenarioResult(string Name, string Outcome, string Message, string Output);

    /// <summary>Each scenario's outcome, failure message and output from the run's TRX file; fails with the run's output when there is none.</summary>
    private static List<ScenarioResult> ReadResults(string trx, string stdout, string stderr)
    {
        Assert.True(File.Exists(trx), $"the scenarios' test run wrote no results ({trx}); its output:\n{stdout}\n{stderr}");
        var document = XDocument.Load(trx);
        return [.. document.Descendants(Trx + "UnitTestResult").Select(r =>
        {
            var result = r.Element(Trx + "Output");
            var error = result?.Element(Trx + "ErrorInfo");
            var message = $"{error?.Element(Trx + "Message")?.Value}\n{error?.Element(Trx + "StackTrace")?.Value}".Trim();
            return new ScenarioResult((string)r.Attribute("testName")!, (string)r.Attribute("outcome")!, message, result?.Element(Trx + "StdOut")?.Value ?? "");
        })];
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
        Assert.True(exit == 0, $"{command} {string.Join(' ', arguments)} failed ({exit}): {error.Trim()}; the partition scenarios need root or password-less sudo, iproute2 and iptables (./run-tests installs them)");
    }

    [GeneratedRegex(@"\(policy \w+ (?<packets>\d+) packets")]
    private static partial Regex Policy();
}
