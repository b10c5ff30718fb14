using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Platform;

/// <summary>The zone of a node (its topology.kubernetes.io/zone label), read once per node: zones do not change under a running node.</summary>
public sealed class ZoneLookup(IKubernetes client)
{
    private readonly ConcurrentDictionary<string, string> _zones = new();

    public async Task<string> ZoneOfAsync(string? nodeName, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(nodeName))
        {
            return "";
        }

        if (_zones.TryGetValue(nodeName, out var zone))
        {
            return zone;
        }

        try
        {
            var node = await client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: ct);
            zone = node.Metadata.Labels.Get(Labels.ZoneTopologyKey) ?? "";
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            // Without permission to read nodes (or with the node gone) the zone is simply unknown.
            zone = "";
        }

        _zones[nodeName] = zone;
        return zone;
    }
}
