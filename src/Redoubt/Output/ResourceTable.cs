using Redoubt.Model;

namespace Redoubt.Output;

/// <summary>The table `redoubt get` prints.</summary>
public static class ResourceTable
{
    public static TextTable Build(IEnumerable<RedisResource> resources, DateTimeOffset now) => new(
        ["NAME", "NAMESPACE", "READY", "PHASE", "ENDPOINT", "MASTER", "SENTINELS", "LAST FAILOVER"],
        [.. resources
            .OrderBy(resource => resource.Metadata.Namespace, StringComparer.Ordinal)
            .ThenBy(resource => resource.Metadata.Name, StringComparer.Ordinal)
            .Select(resource => Row(resource, now))]);

    private static IReadOnlyList<string> Row(RedisResource resource, DateTimeOffset now) =>
    [
        resource.Metadata.Name,
        resource.Metadata.Namespace,
        NodeHealth.ReadyNodes(resource),
        resource.Status?.Phase ?? Phases.Pending,
        resource.Status?.Endpoint ?? "-",
        resource.Status?.Master ?? "-",
        NodeHealth.ReadySentinels(resource),
        resource.Status?.LastFailover is { } failover ? Durations.Ago(failover.Time, now) + " ago" : "-",
    ];
}
