using System.Diagnostics;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// Three zones as network namespaces of their own, joined by a bridge on this side that also carries the control
/// plane's and the test clients' traffic (zone i has {Network}.0.i+1, the bridge .254). Taking a zone's link down
/// partitions it from everything: the other zones, the control plane and the clients. Needs root (or sudo) and
/// iproute2; all of it is removed on dispose.
/// </summary>
internal sealed class ZoneNetworks : IAsyncDisposable
{
    private static int _instances;
    private readonly string _id;

    private ZoneNetworks(string id, string network, int zones)
    {
        _id = id;
        Network = network;
        Namespaces = [.. Enumerable.Range(0, zones).Select(i => $"redoubt-{id}-z{i}")];
    }

    /// <summary>The /16 prefix the local platform puts zone addresses in, such as 10.231.</summary>
    public string Network { get; }

    public IReadOnlyList<string> Namespaces { get; }

    private string Bridge => $"rd{_id}b";

    private string Link(int zone) => $"rd{_id}z{zone}";

    public static async Task<ZoneNetworks> CreateAsync(int zones = 3)
    {
        var n = (Interlocked.Increment(ref _instances) + Environment.ProcessId) % 50;
        var id = $"{Environment.ProcessId % 1000:D3}{n:D2}";
        var created = new ZoneNetworks(id, $"10.{200 + n}", zones);
        try
        {
            await created.SetUpAsync();
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }

        return created;
    }

    private async Task SetUpAsync()
    {
        await IpAsync("link", "add", Bridge, "type", "bridge");
        await IpAsync("addr", "add", $"{Network}.0.254/24", "dev", Bridge);
        await IpAsync("link", "set", Bridge, "up");
        for (var zone = 0; zone < Namespaces.Count; zone++)
        {
            var ns = Namespaces[zone];
            var inside = Link(zone) + "n";
            await IpAsync("netns", "add", ns);
            await IpAsync("link", "add", Link(zone), "type", "veth", "peer", "name", inside);
            await IpAsync("link", "set", inside, "netns", ns);
            await IpAsync("link", "set", Link(zone), "master", Bridge);
            await IpAsync("link", "set", Link(zone), "up");
            await IpAsync("-n", ns, "addr", "add", $"{Network}.0.{zone + 1}/24", "dev", inside);
            await IpAsync("-n", ns, "link", "set", inside, "up");
            await IpAsync("-n", ns, "link", "set", "lo", "up");
        }
    }

    /// <summary>Cuts the zone off: nothing goes in or out until <see cref="HealAsync"/>.</summary>
    public Task PartitionAsync(int zone) => IpAsync("link", "set", Link(zone), "down");

    public Task HealAsync(int zone) => IpAsync("link", "set", Link(zone), "up");

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in Namespaces)
        {
            await TryIpAsync("netns", "del", ns);
        }

        for (var zone = 0; zone < Namespaces.Count; zone++)
        {
            await TryIpAsync("link", "del", Link(zone));
        }

        await TryIpAsync("link", "del", Bridge);
    }

    private static async Task TryIpAsync(params string[] arguments)
    {
        try
        {
            await IpAsync(arguments);
        }
        catch (InvalidOperationException)
        {
            // Already gone (a namespace takes its veth end with it).
        }
    }

    private static async Task IpAsync(params string[] arguments)
    {
        var root = Environment.UserName == "root";
        var info = new ProcessStartInfo(root ? "ip" : "sudo") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (!root)
        {
            info.ArgumentList.Add("-n");
            info.ArgumentList.Add("ip");
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
            throw new InvalidOperationException($"partition tests need iproute2's `ip` (package iproute2){(root ? "" : " and sudo")}: {e.Message}", e);
        }

        using (process)
        {
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Trim()}; partition tests need root or password-less sudo to create network namespaces");
            }
        }
    }
}
