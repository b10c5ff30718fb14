using System.Diagnostics;
using Redoubt.Bench.Clusters;
using Redoubt.Platforms.Local;

namespace Redoubt.Bench;

/// <summary>
/// Runs the storm (with partitions) or the pods run again inside a network namespace this process creates (<c>ip netns exec</c>, the same arguments
/// plus <see cref="InsideMarker"/>), so its control planes, writers and load, and the zone namespaces of its
/// partitions (whose uplink address and route are added to the namespace the storm runs in) all live there: nothing
/// is added to the host's addresses, routes or firewall. Files, the temporary folder and the processes' pids are
/// shared, so the inner run's output and evidence are where they would be. Every namespace whose name starts with
/// this one's, and every process the inner run left, is removed on the way out: after a normal end, a failure,
/// Ctrl-C or the limit.
/// </summary>
internal static class StormNamespace
{
    public const string InsideMarker = "--inside-netns";
    public const string HostMarker = "--host-netns";

    /// <summary>How long the inner run has to clean up after Ctrl-C or the limit before it is killed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(60);

    public static async Task<int> RunInsideAsync(string[] args, string command, CancellationToken cancellationToken)
    {
        if (Environment.UserName != "root")
        {
            Console.Error.WriteLine(command == "pods"
                ? "pods needs root: Docker, the kubelet and the cluster run inside a network namespace it creates (ip netns). Run it as root."
                : "zone partitions need root: the storm runs inside a network namespace it creates (ip netns), and so do its zones. Run it as root, or without --partitions.");
            return 2;
        }

        var name = $"redoubt-bench-{Environment.ProcessId}";
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("the bench cannot tell its own executable to run again inside the namespace");
        IEnumerable<string> executable = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [self, typeof(StormNamespace).Assembly.Location] : [self];
        Process? inner = null;
        void CleanUp() => RemoveEverything(name, inner);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanUp();
        try
        {
            Ip(required: true, "netns", "add", name);
            Ip(required: true, "-n", name, "link", "set", "lo", "up");
            Console.WriteLine(command == "pods"
                ? $"Running the cluster inside the network namespace {name} (its node address, pod network and Docker's rules live there; nothing is added to the host's namespace)"
                : $"Running the storm inside the network namespace {name} (zone partitions cut links there; nothing is added to the host's namespace)");
            var info = new ProcessStartInfo("ip") { UseShellExecute = false };
            foreach (var argument in (string[])["netns", "exec", name, .. executable, .. args, InsideMarker, name, HostMarker, ZoneNamespaceNetwork.CurrentNamespace()])
            {
                info.ArgumentList.Add(argument);
            }

            // Its output is not redirected: the inner run prints the storm as it goes.
            inner = Process.Start(info) ?? throw new InvalidOperationException("could not start the storm inside its namespace");
            try
            {
                await inner.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C reached the inner run too when it came from the terminal; the limit did not. Either way it
                // gets the chance to stop its nodes and remove its zones itself.
                Signals.TrySend(inner.Id, Signals.Interrupt);
                using var grace = new CancellationTokenSource(StopGrace);
                try
                {
                    await inner.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine($"the storm inside {name} did not stop within {StopGrace.TotalSeconds:F0} s of being asked; it is killed");
                }

                throw;
            }

            return inner.ExitCode;
        }
        finally
        {
            CleanUp();
        }
    }

    /// <summary>
    /// Kills the inner run if it still runs and what it left (processes with configs under a bench folder of a dead
    /// run), then deletes every namespace named after <paramref name="name"/>: the storm's own and its zones'. Runs
    /// from a finally and from ProcessExit, so it is synchronous and tolerates having run before.
    /// </summary>
    private static void RemoveEverything(string name, Process? inner)
    {
        try
        {
            if (inner is { HasExited: false })
            {
                inner.Kill(entireProcessTree: true);
                inner.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }

        BenchHome.SweepAbandoned();
        var listing = Ip(required: false, "netns", "list");
        foreach (var ns in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(' ')[0]))
        {
            if (ns == name || ns.StartsWith(name + "-", StringComparison.Ordinal))
            {
                // Whatever still runs in it (a container Docker started for the pods run, say) dies with it: only
                // processes in a namespace this run made are signalled.
                foreach (var pid in Ip(required: false, "netns", "pids", ns).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (int.TryParse(pid, System.Globalization.CultureInfo.InvariantCulture, out var id))
                    {
                        Signals.TrySend(id, Signals.Kill);
                    }
                }

                Ip(required: false, "netns", "del", ns);
            }
        }
    }

    /// <summary>Runs ip as <see cref="ZoneNamespaceNetwork"/> wants it: the exit code and the standard error.</summary>
    public static async Task<(int Exit, string Error)> IpAsync(IReadOnlyList<string> arguments)
    {
        var (exit, _, error) = await RunIpAsync(arguments).ConfigureAwait(false);
        return (exit, error);
    }

    /// <summary>Runs ip and returns its output; when <paramref name="required"/>, a failure throws (else it is what cleaning up tolerates: already gone).</summary>
    private static string Ip(bool required, params string[] arguments)
    {
        var (exit, output, error) = RunIpAsync(arguments).GetAwaiter().GetResult();
        if (exit != 0 && required)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {error.Trim()}");
        }

        return output;
    }

    private static async Task<(int Exit, string Output, string Error)> RunIpAsync(IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run ip (iproute2)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
