using Redoubt.Model;

namespace Redoubt.Web.Dashboard;

/// <summary>One resource as the page draws it: its zones in order, its nodes and Sentinels, conditions, failovers and events.</summary>
public sealed record DashboardView(
    string Key,
    string Namespace,
    string Name,
    long Generation,
    string Phase,
    string? Master,
    string MasterName,
    string? RedisVersion,
    IReadOnlyList<ZoneView> Zones,
    IReadOnlyList<NodeStatus> Nodes,
    IReadOnlyList<SentinelStatus> Sentinels,
    IReadOnlyList<StatusCondition> Conditions,
    IReadOnlyList<FailoverRecord> Failovers,
    IReadOnlyList<StatusEvent> Events)
{
    /// <summary>When the change this view shows was saved (null for a first snapshot): the page and the bench measure from it.</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>The address that always reaches the master (<see cref="RedisStatus.Endpoint"/>), or null.</summary>
    public string? Endpoint { get; init; }

    public static DashboardView Of(RedisResource resource, FailoverTimeline timeline)
    {
        var status = resource.Status ?? new RedisStatus();
        var declared = SpecDefaults.Resolve(resource.Spec).Zones;
        // Declared zones first, in their order; a node in a zone no longer declared (a change in progress) still shows.
        var zones = declared.Concat(status.Nodes.Select(n => n.Zone).Concat(status.SentinelNodes.Select(s => s.Zone)))
            .Where(z => z.Length > 0).Distinct(StringComparer.Ordinal).Select(z => new ZoneView(z, ZoneLabel.Of(z))).ToList();
        return new DashboardView(
            resource.Key,
            resource.Metadata.Namespace,
            resource.Metadata.Name,
            resource.Metadata.Generation,
            status.Phase,
            status.Master,
            status.MasterName,
            status.RedisVersion,
            zones,
            status.Nodes,
            status.SentinelNodes,
            status.Conditions,
            timeline.Record(resource.Key, status.LastFailover),
            status.Events)
        {
            Endpoint = status.Endpoint,
        };
    }
}

public sealed record ZoneView(string Name, string Label);
