using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Redoubt.Platforms.Local;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// Three zones in network namespaces of their own on a leased 10.N network (<see cref="ZoneNamespaceNetwork"/>: a
/// bridge in a "switch" namespace, the uplink with 10.N.0.254 in this test process's namespace). Built only inside the
/// namespace <see cref="TestNetworkNamespace"/> runs the partition scenarios in, never in the host's: the uplink's
/// address and route stay there. Needs root (or sudo) and iproute2; all of it is removed on dispose.
/// </summary>
internal sealed class ZoneNetworks : IAsyncDisposable
{
    private readonly NetworkLease _lease;
    private readonly ZoneNamespaceNetwork _network;
    private int _disposed;

    private ZoneNetworks(NetworkLease lease, int zones)
    {
        _lease = lease;
        var id = lease.Number.ToString(CultureInfo.InvariantCulture);
        _network = new ZoneNamespaceNetwork($"redoubt-{id}", $"rd{id}", $"10.{id}", zones, async arguments => await Privileged.RunAsync("ip", [.. arguments]));
    }

    /// <summary>The /16 prefix the local platform puts zone addresses in, such as 10.171.</summary>
    public string Network => _network.Network;

    public IReadOnlyList<string> Namespaces => _network.Namespaces;

    public static async Task<ZoneNetworks> CreateAsync(int zones = 3)
    {
        Assert.True(TestNetworkNamespace.Inside, $"zone namespaces are built only inside the network namespace of {nameof(TestNetworkNamespace)}, never in the host's");
        // 10.160-10.199: numbers whose namespace names another test run on this machine may hold, and that must not
        // be routed here already.
        var lease = NetworkLease.Take("zones", 160, 40, n => !RoutedHere($"10.{n}."));
        var created = new ZoneNetworks(lease, zones);
        try
        {
            await created._network.CreateAsync(TestNetworkNamespace.Host!);
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }

        return created;
    }

    /// <summary>Cuts the zone off: its switch port goes down, nothing goes in or out until <see cref="HealAsync"/>.</summary>
    public Task PartitionAsync(int zone) => _network.PartitionAsync(zone);

    public Task HealAsync(int zone) => _network.HealAsync(zone);

    public async ValueTask DisposeAsync()
    {
        // Once only: after the lease is released, these names may already belong to another test's zones.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _network.RemoveAsync();
        }
        finally
        {
            _lease.Dispose();
        }
    }

    private static bool RoutedHere(string prefix) =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.AddressFamily == AddressFamily.InterNetwork && a.Address.ToString().StartsWith(prefix, StringComparison.Ordinal));
}
