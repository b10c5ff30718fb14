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
