using Redoubt.Model;

namespace Redoubt.Output;

public static class NodeHealth
{
    /// <summary>What the status reports for a node or Sentinel that needs nothing; anything else says what is wrong.</summary>
    public const string Healthy = "ok";

    public static bool IsHealthy(string health) => string.Equals(health, Healthy, StringComparison.OrdinalIgnoreCase);

    /// <summary>"2/3": healthy data nodes over desired, the way kubectl shows ready pods.</summary>
    public static string ReadyNodes(RedisResource resource) =>
        $"{resource.Status?.Nodes.Count(node => IsHealthy(node.Health)) ?? 0}/{SpecDefaults.Resolve(resource.Spec).Replicas}";

    public static string ReadySentinels(RedisResource resource) =>
        $"{resource.Status?.SentinelNodes.Count(sentinel => IsHealthy(sentinel.Health)) ?? 0}/{SpecDefaults.Resolve(resource.Spec).Sentinel.Replicas}";
}
