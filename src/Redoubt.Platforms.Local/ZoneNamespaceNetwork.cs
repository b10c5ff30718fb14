using System.Globalization;

namespace Redoubt.Platforms.Local;

/// <summary>
/// The network <see cref="LocalOptions.ZoneNamespaces"/> expects, built with iproute2: one namespace per zone (zone i
/// holds <see cref="Network"/>.0.i+1/24), joined by a bridge in a "switch" namespace of its own, and one veth pair from
/// the namespace of the process that builds it (the control plane's) to the switch, with .0.254 on that side. Taking a
/// zone's switch port down cuts the zone off from everything: the other zones, the control plane and its clients.
/// </summary>
/// <remarks>
/// The .0.254 address and its connected route are added to the builder's own namespace, so it is built only in a
/// namespace that is not the host's initial one (the partition tests and the storm's partitions each create one and
/// run inside it): a run never adds an address or a route to the host. Within that namespace nothing depends on its
/// firewall: zone to zone, frames are bridged in the switch namespace, whose iptables (a fresh namespace's) drop
/// nothing even with br_netfilter loaded; control plane to zone, the packets are the builder's namespace's own (OUTPUT,
/// then INPUT for the answers), never routed between interfaces, so a FORWARD policy of DROP (Docker's) is not in
/// their path.
/// </remarks>
public sealed class ZoneNamespaceNetwork
{
    private readonly string _links;
    private readonly Func<IReadOnlyList<string>, Task<(int Exit, string Error)>> _ip;

    /// <param name="names">Prefix of the namespaces' names (<c>{names}-z0</c>, …, <c>{names}-sw</c>); they are global on the machine.</param>
    /// <param name="links">Prefix of the links' names, at most 9 characters (interface names end at 15).</param>
    /// <param name="network">The /16 prefix of the zone addresses, such as 10.171.</param>
    /// <param name="ip">Runs <c>ip</c> with the arguments as root and returns its exit code and standard error.</param>
    public ZoneNamespaceNetwork(string names, string links, string network, int zones, Func<IReadOnlyList<string>, Task<(int Exit, string Error)>> ip)
    {
        if (links.Length > 9)
        {
            throw new ArgumentException($"link prefix {links} is longer than 9 characters", nameof(links));
        }

        _links = links;
        _ip = ip;
        Network = network;
        Namespaces = [.. Enumerable.Range(0, zones).Select(i => string.Create(CultureInfo.InvariantCulture, $"{names}-z{i}"))];
        Switch = $"{names}-sw";
    }

    public string Network { get; }

    /// <summary>The zones' namespaces in zone order, as <see cref="LocalOptions.ZoneNamespaces"/> takes them.</summary>
    public IReadOnlyList<string> Namespaces { get; }

    /// <summary>The namespace that holds the bridge; the zones' links end in it.</summary>
    public string Switch { get; }

    private string Bridge => $"{_links}b";

    /// <summary>The builder's end of the control plane's link; its peer in the switch is <c>{Uplink}s</c>.</summary>
    private string Uplink => $"{_links}h";

    /// <summary>The switch's end of a zone's link, the one a partition takes down; its peer in the zone is <c>{name}n</c>.</summary>
    private string Port(int zone) => string.Create(CultureInfo.InvariantCulture, $"{_links}z{zone}");

    /// <summary>
    /// Builds the network, after removing what an earlier run that was killed left under the same names;
    /// <paramref name="host"/> is the identity of the host's network namespace, where it is refused (see <see cref="WhyNotHere"/>).
    /// </summary>
    public async Task CreateAsync(string host)
    {
        if (WhyNotHere(host) is { } reason)
        {
            throw new InvalidOperationException($"zone namespaces are not built here: {reason}");
        }

        await RemoveAsync().ConfigureAwait(false);
        await IpAsync("netns", "add", Switch).ConfigureAwait(false);
        await IpAsync("-n", Switch, "link", "set", "lo", "up").ConfigureAwait(false);
        await IpAsync("-n", Switch, "link", "add", Bridge, "type", "bridge").ConfigureAwait(false);
        await IpAsync("-n", Switch, "link", "set", Bridge, "up").ConfigureAwait(false);
        for (var zone = 0; zone < Namespaces.Count; zone++)
        {
            var ns = Namespaces[zone];
            var inside = Port(zone) + "n";
            await IpAsync("netns", "add", ns).ConfigureAwait(false);
            await IpAsync("-n", Switch, "link", "add", Port(zone), "type", "veth", "peer", "name", inside, "netns", ns).ConfigureAwait(false);
            await IpAsync("-n", Switch, "link", "set", Port(zone), "master", Bridge).ConfigureAwait(false);
            await IpAsync("-n", Switch, "link", "set", Port(zone), "up").ConfigureAwait(false);
            await IpAsync("-n", ns, "addr", "add", string.Create(CultureInfo.InvariantCulture, $"{Network}.0.{zone + 1}/24"), "dev", inside).ConfigureAwait(false);
            await IpAsync("-n", ns, "link", "set", inside, "up").ConfigureAwait(false);
            await IpAsync("-n", ns, "link", "set", "lo", "up").ConfigureAwait(false);
        }

        await IpAsync("link", "add", Uplink, "type", "veth", "peer", "name", Uplink + "s", "netns", Switch).ConfigureAwait(false);
        await IpAsync("-n", Switch, "link", "set", Uplink + "s", "master", Bridge).ConfigureAwait(false);
        await IpAsync("-n", Switch, "link", "set", Uplink + "s", "up").ConfigureAwait(false);
        await IpAsync("addr", "add", $"{Network}.0.254/24", "dev", Uplink).ConfigureAwait(false);
        await IpAsync("link", "set", Uplink, "up").ConfigureAwait(false);
    }

    /// <summary>Cuts the zone off: its switch port goes down, the zone's end loses carrier, nothing goes in or out until <see cref="HealAsync"/>.</summary>
    public Task PartitionAsync(int zone) => IpAsync("-n", Switch, "link", "set", Port(zone), "down");

    public Task HealAsync(int zone) => IpAsync("-n", Switch, "link", "set", Port(zone), "up");

    /// <summary>
    /// Deletes the namespaces, and with them the veth ends in them and so their peers, the uplink included; whatever is
    /// already gone is skipped. A namespace still holding a process lives on, unnamed, until that process exits.
    /// </summary>
    public async Task RemoveAsync()
    {
        foreach (var ns in Namespaces.Append(Switch))
        {
            await _ip(["netns", "del", ns]).ConfigureAwait(false);
        }

        await _ip(["link", "del", Uplink]).ConfigureAwait(false);
    }

    /// <summary>The identity of this process's network namespace, such as <c>net:[4026531840]</c>.</summary>
    public static string CurrentNamespace() =>
        new FileInfo("/proc/self/ns/net").LinkTarget ?? throw new InvalidOperationException("/proc/self/ns/net is not a link: network namespaces are not available");

    /// <summary>
    /// Why this process must not build zone namespaces, or null when it may: it runs in <paramref name="host"/> (the
    /// identity of the namespace the run was started from, which is the host's), or in the namespace pid 1 is in
    /// where that can be read. There the uplink's address and route would be the host's.
    /// </summary>
    public static string? WhyNotHere(string host)
    {
        var own = CurrentNamespace();
        string? init;
        try
        {
            init = new FileInfo("/proc/1/ns/net").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            init = null; // Not readable here (another user namespace, or no ptrace access): the run's own word stands.
        }

        return own == host || own == init
            ? $"this process runs in the host's network namespace ({own}), which must not get the zones' uplink address and route; run it inside a namespace of its own (ip netns exec)"
            : null;
    }

    private async Task IpAsync(params string[] arguments)
    {
        var (exit, error) = await _ip(arguments).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({exit}): {error.Trim()}; zone namespaces need root (or password-less sudo) and iproute2");
        }
    }
}
