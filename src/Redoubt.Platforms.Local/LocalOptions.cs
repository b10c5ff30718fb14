namespace Redoubt.Platforms.Local;

public sealed class LocalOptions
{
    /// <summary>The state folder ($REDOUBT_HOME): resources, node data, configs, logs, secrets, the control socket.</summary>
    public required string Home { get; init; }

    /// <summary>First Redis port tried; Sentinels start at <see cref="SentinelPortBase"/>.</summary>
    public int PortBase { get; init; } = 6379;

    public int SentinelPortBase { get; init; } = 26379;

    /// <summary>The loopback network whose .0.N addresses stand for the zones (127.10.0.1 for the first zone, and so on).</summary>
    public string ZoneNetwork { get; init; } = "127.10";

    /// <summary>
    /// Optional: one network namespace per zone, in zone order. The nodes of a zone start inside its namespace, which
    /// must already hold the zone's address (<see cref="ZoneNetwork"/>.0.N) and a route to the others and to the
    /// control plane; taking a zone's link down then partitions it for real. Null (the default): every node runs in
    /// the control plane's own namespace on a loopback address. Used to test partitions.
    /// </summary>
    public IReadOnlyList<string>? ZoneNamespaces { get; init; }

    /// <summary>
    /// The machine's own address on which a resource with <c>external: true</c> serves its master endpoint (and nothing
    /// else: nodes and Sentinels stay on loopback). Null when the machine has none; such resources are then refused.
    /// </summary>
    public string? ExternalAddress { get; init; }

    public string RedisServer { get; init; } = "redis-server";

    public string RedisSentinel { get; init; } = "redis-sentinel";

    /// <summary>Checks backups before they count; it comes with redis-server.</summary>
    public string RedisCheckRdb { get; init; } = "redis-check-rdb";

    /// <summary>
    /// Options for <paramref name="home"/> with the overrides a user or a test can set: REDOUBT_PORT_BASE,
    /// REDOUBT_SENTINEL_PORT_BASE, REDOUBT_ZONE_NETWORK (a loopback prefix such as 127.10) and REDOUBT_EXTERNAL_ADDRESS
    /// (the machine's address for external endpoints; by default that of the interface with the default route).
    /// </summary>
    public static LocalOptions FromEnvironment(string home)
    {
        var defaults = new LocalOptions { Home = home };
        return new LocalOptions
        {
            Home = home,
            PortBase = Port("REDOUBT_PORT_BASE", defaults.PortBase),
            SentinelPortBase = Port("REDOUBT_SENTINEL_PORT_BASE", defaults.SentinelPortBase),
            ZoneNetwork = Network("REDOUBT_ZONE_NETWORK", defaults.ZoneNetwork),
            ExternalAddress = External("REDOUBT_EXTERNAL_ADDRESS"),
        };
    }

    private static string? External(string variable)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(text))
        {
            return DetectExternalAddress();
        }

        return System.Net.IPAddress.TryParse(text, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(address)
            ? address.ToString()
            : throw new Core.RedoubtException($"{variable}={text}: expected one of this machine's IPv4 addresses that is not a loopback address, such as 192.168.1.20");
    }

    /// <summary>
    /// The IPv4 address of the first interface that is up and has a gateway (the one other machines most likely reach
    /// this one on), else of the first that is up and not loopback; null when there is none.
    /// </summary>
    public static string? DetectExternalAddress()
    {
        var candidates = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up && i.NetworkInterfaceType != System.Net.NetworkInformation.NetworkInterfaceType.Loopback)
            .Select(i => (Properties: i.GetIPProperties(), Interface: i))
            .Select(c => (Gateway: c.Properties.GatewayAddresses.Count > 0, Address: c.Properties.UnicastAddresses
                .Select(u => u.Address)
                .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(a))))
            .Where(c => c.Address is not null)
            .ToList();
        return (candidates.FirstOrDefault(c => c.Gateway).Address ?? candidates.FirstOrDefault().Address)?.ToString();
    }

    private static int Port(string variable, int fallback)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1024 and <= 63000
            ? port
            : throw new Core.RedoubtException($"{variable}={text}: expected a port number from 1024 to 63000");
    }

    private static string Network(string variable, string fallback)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        var parts = text.Split('.');
        return parts is ["127", var second] && byte.TryParse(second, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? text
            : throw new Core.RedoubtException($"{variable}={text}: expected a loopback prefix like 127.10 (zones get 127.10.0.1, 127.10.0.2, ...)");
    }
}
