using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Redoubt.Core;
using Redoubt.Core.Platform;

namespace Redoubt.Platforms.Local;

/// <summary>
/// Gives each node an address (its zone's loopback address) and a port, once: the allocation is saved with the
/// resource and kept across restarts, so clients and Sentinels find nodes where they were.
/// </summary>
internal sealed class PortAllocator(string home)
{
    private static readonly Lock Gate = new();

    public static Dictionary<string, string> Load(ResourceFolder folder) =>
        AtomicFile.ReadOrNull(folder.PortsFile) is { } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []
            : [];

    /// <summary>The node's address, allocating a free port on <paramref name="host"/> from <paramref name="basePort"/> up when it has none.</summary>
    public string AddressOf(ResourceFolder folder, string node, string host, int basePort, bool checkBind = true)
    {
        lock (Gate)
        {
            var ports = Load(folder);
            if (ports.TryGetValue(node, out var existing) && Endpoints.Parse(existing).Host == host)
            {
                return existing;
            }

            var taken = AllAllocations().ToHashSet(StringComparer.Ordinal);
            for (var port = basePort; port < basePort + 2000 && port <= 65535; port++)
            {
                var candidate = Endpoints.Format(host, port);
                if (!taken.Contains(candidate) && (!checkBind || CanBind(host, port)))
                {
                    ports[node] = candidate;
                    folder.EnsureRoot();
                    AtomicFile.Write(folder.PortsFile, JsonSerializer.Serialize(ports));
                    return candidate;
                }
            }

            throw new RedoubtException($"no free port on {host} from {basePort} to {basePort + 1999} for {node}; stop what uses them or set REDOUBT_PORT_BASE");
        }
    }

    /// <summary>The entry of <c>ports.json</c> that holds the resource's master endpoint (never a node's name).</summary>
    public const string EndpointEntry = "@endpoint";

    /// <summary>The master endpoint saved with the resource, or null for a resource whose Redis nodes each have a port of their own.</summary>
    public static string? EndpointOf(ResourceFolder folder) => Load(folder).GetValueOrDefault(EndpointEntry);

    /// <summary>
    /// A Redis node's address where every Redis node of the resource has the same port, each on an address of its own
    /// (<paramref name="host"/>), and the resource's master endpoint is that port on <paramref name="endpointHost"/>:
    /// the master can then listen on the endpoint too (see <see cref="Core.Redis.EndpointBinding"/>). The port is chosen
    /// with the first node, free on every address that asks and used by no other resource in the home, so nodes added
    /// later find it free. A resource whose nodes got ports of their own before endpoints existed keeps them
    /// (<see cref="AddressOf"/>) and has no endpoint.
    /// </summary>
    /// <param name="accepted">Addresses a node may already have: its own, or its zone's from before endpoints.</param>
    /// <param name="resourceHosts">The addresses of all the resource's Redis nodes: the port must be free on each.</param>
    public string SharedPortAddressOf(ResourceFolder folder, string node, string host, IReadOnlyCollection<string> accepted, IReadOnlyCollection<string> resourceHosts, string endpointHost, int basePort)
    {
        lock (Gate)
        {
            var ports = Load(folder);
            if (ports.TryGetValue(node, out var existing) && accepted.Contains(Endpoints.Parse(existing).Host))
            {
                return existing;
            }

            if (!ports.TryGetValue(EndpointEntry, out var endpoint))
            {
                if (ports.Keys.Any(k => k.StartsWith("redis", StringComparison.Ordinal)))
                {
                    return AddressOf(folder, node, accepted.First(), basePort);
                }

                var used = AllAllocations().Select(a => Endpoints.Parse(a).Port).ToHashSet();
                var free = Enumerable.Range(basePort, Math.Max(0, Math.Min(2000, 65536 - basePort)))
                    .FirstOrDefault(p => !used.Contains(p) && resourceHosts.Append(host).Append(endpointHost).All(h => CanBind(h, p)));
                endpoint = free != 0
                    ? Endpoints.Format(endpointHost, free)
                    : throw new RedoubtException($"no port from {basePort} to {basePort + 1999} is free on {host} and {endpointHost} for {node}; stop what uses them or set REDOUBT_PORT_BASE");
                ports[EndpointEntry] = endpoint;
            }

            var candidate = Endpoints.Format(host, Endpoints.Parse(endpoint).Port);
            if (AllAllocations().Contains(candidate, StringComparer.Ordinal) && !ports.ContainsValue(candidate))
            {
                throw new RedoubtException($"{candidate}, the address of {node}, is taken by another resource; delete and apply this resource again to move it");
            }

            ports[node] = candidate;
            folder.EnsureRoot();
            AtomicFile.Write(folder.PortsFile, JsonSerializer.Serialize(ports));
            return candidate;
        }
    }

    public static void Release(ResourceFolder folder, string node)
    {
        lock (Gate)
        {
            var ports = Load(folder);
            if (ports.Remove(node))
            {
                AtomicFile.Write(folder.PortsFile, JsonSerializer.Serialize(ports));
            }
        }
    }

    public static bool CanBind(string host, int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Parse(host), port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private IEnumerable<string> AllAllocations()
    {
        var resources = Path.Combine(home, "resources");
        if (!Directory.Exists(resources))
        {
            return [];
        }

        return Directory.EnumerateFiles(resources, "ports.json", SearchOption.AllDirectories)
            .SelectMany(file => JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file))?.Values ?? Enumerable.Empty<string>());
    }
}
