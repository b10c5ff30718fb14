using Redoubt.Core.Observation;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Healing;

/// <summary>
/// Who serves the master endpoint (<see cref="IRedisPlatform.MasterEndpoint"/>): the master, and nobody else. Nodes that
/// are not the master let go first (in list order): the master cannot listen there while another node still does.
/// </summary>
public static class EndpointRules
{
    public static IEnumerable<HealAction> Actions(ClusterObservation observation, RedisNodeObservation master, string? endpoint)
    {
        if (endpoint is null)
        {
            yield break;
        }

        var (host, _) = Endpoints.Parse(endpoint);
        foreach (var node in observation.Nodes.Where(n => n != master && n.Reachable && EndpointBinding.Holds(n.Bind, host)))
        {
            yield return new ReleaseEndpoint(node.Name, node.Address!, endpoint, $"{node.Name} is not the master ({master.Name} is) but serves the master endpoint");
        }

        // Bind unknown: a node that did not answer CONFIG GET; the next pass asks again.
        if (master.Reachable && master.Bind is not null && !EndpointBinding.Holds(master.Bind, host))
        {
            yield return new HoldEndpoint(master.Name, master.Address!, endpoint, $"{master.Name} is the master");
        }
    }
}
