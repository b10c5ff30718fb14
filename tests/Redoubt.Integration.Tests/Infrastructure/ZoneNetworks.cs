using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// Three zones as network namespaces of their own (zone i has {Network}.0.i+1), joined by a bridge that lives in a
/// "switch" namespace of its own, plus one veth pair from this test process's namespace to the switch for the control
/// plane and the test clients (.254 on this side). Taking a zone's switch port down partitions it from everything:
/// the other zones, the control plane and the clients. Needs root (or sudo) and iproute2; all of it is removed on
/// dispose.
/// </summary>
/// <remarks>
/// Nothing here depends on the firewall of the namespace the tests run in. The bridge used to live in that
/// namespace, and where Docker is installed (FORWARD policy DROP, br_netfilter loaded) every frame bridged from one
/// zone to another went through its iptables FORWARD chain and was dropped, so the resource never became Ready. Now:
/// <list type="bullet">
/// <item>zone to zone: frames are bridged inside the switch namespace; br_netfilter hands them to that namespace's
/// iptables, which is a fresh namespace's: no rules, nothing dropped;</item>
/// <item>control plane to zone: the veth end on this side is an ordinary interface with an address, so the control
/// plane's packets are locally generated (OUTPUT, then out of the veth) and the answers are addressed to this side
/// (PREROUTING, INPUT). Nothing is routed from one interface to another and no bridge port is on this side, so
/// neither this side's FORWARD chain nor br_netfilter sees them. Only a firewall that drops this side's own
/// connections or their answers (INPUT/OUTPUT) could interfere; Docker leaves those alone.</item>
/// </list>
/// DockerLikeHostTests runs the partition tests in a namespace whose FORWARD policy is DROP to keep this true.
/// </remarks>
internal sealed class ZoneNetworks : IAsyncDisposable
{
    private readonly NetworkLease _lease;
    private readonly string _id;
    private int _disposed;

    private ZoneNetworks(NetworkLease lease, int zones)
    {
        _lease = lease;
        _id = lease.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Network = $"10.{lease.Number}";
        Namespaces = [.. Enumerable.Range(0, zones).Select(i => $"redoubt-{_id}-z{i}")];
    }

    /// <summary>The /16 prefix the local platform puts zone addresses in, such as 10.171.</summary>
    public string Network { get; }

    public IReadOnlyList<string> Namespaces { get; }

    /// <summary>The namespace that holds the bridge; the zones' links end in it.</summary>
    public string Switch => $"redoubt-{_id}-sw";

    private string Bridge => $"rd{_id}b";

    /// <summary>This side's end of the control plane's link; its peer in the switch is <c>{Uplink}s</c>.</summary>
    private string Uplink => $"rd{_id}h";

    /// <summary>The switch's end of a zone's link, the one a partition takes down; its peer in the zone is <c>{name}n</c>.</summary>
    private string Port(int zone) => $"rd{_id}z{zone}";

    public static async Task<ZoneNetworks> CreateAsync(int zones = 3)
    {
        // 10.160-10.199: the numbers must not be routed here already (another test run, a VPN, a container network).
        var lease = NetworkLease.Take("zones", 160, 40, n => !RoutedHere($"10.{n}."));
        var created = new ZoneNetworks(lease, zones);
        try
        {
            await created.RemoveAsync(); // What a killed test run with this number left behind.
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
        await IpAsync("netns", "add", Switch);
        await IpAsync("-n", Switch, "link", "set", "lo", "up");
        await IpAsync("-n", Switch, "link", "add", Bridge, "type", "bridge");
        await IpAsync("-n", Switch, "link", "set", Bridge, "up");
        for (var zone = 0; zone < Namespaces.Count; zone++)
        {
            var ns = Namespaces[zone];
            var inside = Port(zone) + "n";
            await IpAsync("netns", "add", ns);
            await IpAsync("-n", Switch, "link", "add", Port(zone), "type", "veth", "peer", "name", inside, "netns", ns);
            await IpAsync("-n", Switch, "link", "set", Port(zone), "master", Bridge);
            await IpAsync("-n", Switch, "link", "set", Port(zone), "up");
            await IpAsync("-n", ns, "addr", "add", $"{Network}.0.{zone + 1}/24", "dev", inside);
            await IpAsync("-n", ns, "link", "set", inside, "up");
            await IpAsync("-n", ns, "link", "set", "lo", "up");
        }

        await IpAsync("link", "add", Uplink, "type", "veth", "peer", "name", Uplink + "s", "netns", Switch);
        await IpAsync("-n", Switch, "link", "set", Uplink + "s", "master", Bridge);
        await IpAsync("-n", Switch, "link", "set", Uplink + "s", "up");
        await IpAsync("addr", "add", $"{Network}.0.254/24", "dev", Uplink);
        await IpAsync("link", "set", Uplink, "up");
    }

    /// <summary>Cuts the zone off: its switch port goes down, the zone's end loses carrier, nothing goes in or out until <see cref="HealAsync"/>.</summary>
    public Task PartitionAsync(int zone) => IpAsync("-n", Switch, "link", "set", Port(zone), "down");

    public Task HealAsync(int zone) => IpAsync("-n", Switch, "link", "set", Port(zone), "up");

    public async ValueTask DisposeAsync()
    {
        // Once only: after the lease is released, these names may already belong to another test's zones.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await RemoveAsync();
        }
        finally
        {
            _lease.Dispose();
        }
    }

    /// <summary>Deleting a namespace deletes the veth ends in it and so their peers, this side's uplink included.</summary>
    private async Task RemoveAsync()
    {
        foreach (var ns in Namespaces.Append(Switch))
        {
            await TryIpAsync("netns", "del", ns);
        }

        await TryIpAsync("link", "del", Uplink);
    }

    private static bool RoutedHere(string prefix) =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.AddressFamily == AddressFamily.InterNetwork && a.Address.ToString().StartsWith(prefix, StringComparison.Ordinal));

    private static async Task TryIpAsync(params string[] arguments)
    {
        try
        {
            await IpAsync(arguments);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task IpAsync(params string[] arguments)
    {
        var (exit, error) = await Privileged.RunAsync("ip", arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({exit}): {error.Trim()}; partition tests need root or password-less sudo to create network namespaces");
        }
    }
}
