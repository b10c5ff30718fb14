using System.Globalization;
using Redoubt.Model;

namespace Redoubt.Output;

/// <summary>The processes of a resource as rows: the full view of `describe` and the short one `up` refreshes.</summary>
public static class NodeTable
{
    public static TextTable Build(RedisResource resource) => new(
        ["NAME", "ROLE", "ZONE", "ADDRESS", "OFFSET", "LAG", "HEALTH", "PID"],
        [.. (resource.Status?.Nodes ?? []).Select(node => (IReadOnlyList<string>)
        [
            node.Name,
            node.Role,
            Text(node.Zone),
            Text(node.Address),
            node.ReplicationOffset.ToString(CultureInfo.InvariantCulture),
            node.LagBytes is { } lag ? lag.ToString(CultureInfo.InvariantCulture) : "-",
            node.Health,
            Pid(node.Pid),
        ])]);

    public static TextTable BuildSentinels(RedisResource resource) => new(
        ["NAME", "ZONE", "ADDRESS", "MONITORS", "HEALTH", "PID"],
        [.. (resource.Status?.SentinelNodes ?? []).Select(sentinel => (IReadOnlyList<string>)
        [
            sentinel.Name,
            Text(sentinel.Zone),
            Text(sentinel.Address),
            Text(sentinel.MonitoredMaster),
            sentinel.Health,
            Pid(sentinel.Pid),
        ])]);

    /// <summary>Every process, data nodes first, with what matters while they start.</summary>
    public static TextTable BuildProgress(RedisResource resource) => new(
        ["NAME", "ROLE", "ZONE", "ADDRESS", "HEALTH"],
        [
            .. (resource.Status?.Nodes ?? []).Select(node => (IReadOnlyList<string>)
                [node.Name, node.Role, Text(node.Zone), Text(node.Address), node.Health]),
            .. (resource.Status?.SentinelNodes ?? []).Select(sentinel => (IReadOnlyList<string>)
                [sentinel.Name, "sentinel", Text(sentinel.Zone), Text(sentinel.Address), sentinel.Health]),
        ]);

    private static string Text(string? value) => string.IsNullOrEmpty(value) ? "-" : value;

    private static string Pid(int? pid) => pid is { } value ? value.ToString(CultureInfo.InvariantCulture) : "-";
}
