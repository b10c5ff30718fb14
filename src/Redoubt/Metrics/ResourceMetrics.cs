using Redoubt.Core.Healing;
using Redoubt.Core.Telemetry;
using Redoubt.Model;

namespace Redoubt.Metrics;

/// <summary>
/// One resource's series: set from each pass's <see cref="ResourceSample"/>, a node's removed once a pass no longer
/// sees it, all removed when the resource goes. Passes of one resource never overlap; the fast path's failovers may
/// arrive beside one, and touch only thread-safe counters.
/// </summary>
public sealed class ResourceMetrics : IResourceTelemetry
{
    private readonly MetricFamilies _m;
    private readonly string _namespace;
    private readonly string _resource;
    private readonly Lock _lock = new();
    private Dictionary<string, NodeSample> _nodes = new(StringComparer.Ordinal);
    private HashSet<string> _sentinels = new(StringComparer.Ordinal);
    private HashSet<string> _conditions = new(StringComparer.Ordinal);

    public ResourceMetrics(MetricFamilies families, string resourceKey)
    {
        _m = families;
        var slash = resourceKey.IndexOf('/', StringComparison.Ordinal);
        (_namespace, _resource) = slash < 0 ? ("", resourceKey) : (resourceKey[..slash], resourceKey[(slash + 1)..]);

        // Counters start at 0 the moment the resource is known, so the first failover is an increase Prometheus sees.
        _m.MasterChanges.WithLabels(_namespace, _resource);
        foreach (var cause in FailoverCauses.All)
        {
            _m.FailoverDuration.WithLabels(_namespace, _resource, cause);
        }
    }

    public void Observed(ResourceSample sample)
    {
        lock (_lock)
        {
            foreach (var phase in Samples.AllPhases)
            {
                _m.Phase.WithLabels(_namespace, _resource, phase).Set(phase == sample.Phase ? 1 : 0);
            }

            foreach (var gone in _conditions.Where(c => !sample.Conditions.ContainsKey(c)))
            {
                _m.Condition.RemoveLabelled(_namespace, _resource, gone);
            }

            foreach (var (type, isTrue) in sample.Conditions)
            {
                _m.Condition.WithLabels(_namespace, _resource, type).Set(isTrue ? 1 : 0);
            }

            _conditions = [.. sample.Conditions.Keys];
            _m.MasterPresent.WithLabels(_namespace, _resource).Set(sample.HasMaster ? 1 : 0);
            _m.SentinelQuorum.WithLabels(_namespace, _resource).Set(sample.SentinelQuorum);
            if (sample.Nodes is null || sample.Sentinels is null)
            {
                return;
            }

            _m.SentinelsMonitoring.WithLabels(_namespace, _resource).Set(sample.SentinelsMonitoring);
            SetOrRemove(_m.UnreplicatedBytes, sample.UnreplicatedBytes, _namespace, _resource);
            ObserveNodes(sample.Nodes);
            ObserveSentinels(sample.Sentinels);
        }
    }

    private void ObserveNodes(IReadOnlyList<NodeSample> nodes)
    {
        var seen = new Dictionary<string, NodeSample>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var before = _nodes.GetValueOrDefault(node.Node);
            if (before is not null && before.Zone != node.Zone)
            {
                RemoveNode(before.Node);
            }

            string[] labels = [_namespace, _resource, node.Node, node.Zone];
            var restarts = _m.NodeRestarts.WithLabels(labels);
            if (Samples.Restarted(before, node))
            {
                restarts.Inc();
            }

            _m.NodeUp.WithLabels(labels).Set(node.Up ? 1 : 0);
            _m.NodeRole.WithLabels([.. labels, "master"]).Set(node.Role == "master" ? 1 : 0);
            _m.NodeRole.WithLabels([.. labels, "replica"]).Set(node.Role == "replica" ? 1 : 0);
            SetOrRemove(_m.ReplicationOffset, node.OffsetBytes, labels);
            SetOrRemove(_m.LagBytes, node.LagBytes, labels);
            SetOrRemove(_m.LagSeconds, node.LagSeconds, labels);
            SetOrRemove(_m.MasterLinkUp, node.MasterLinkUp is { } up ? (up ? 1 : 0) : null, labels);
            SetOrRemove(_m.ConnectedReplicas, node.ConnectedReplicas, labels);
            SetOrRemove(_m.MemoryUsed, node.UsedMemoryBytes, labels);
            SetOrRemove(_m.MemoryMax, node.MaxMemoryBytes, labels);
            SetOrRemove(_m.Keys, node.Keys, labels);
            SetOrRemove(_m.OpsPerSecond, node.OpsPerSecond, labels);
            SetOrRemove(_m.LastSave, node.LastSaveUnixSeconds, labels);
            SetOrRemove(_m.LastSaveSuccess, node.LastSaveOk is { } saved ? (saved ? 1 : 0) : null, labels);
            SetOrRemove(_m.AofEnabled, node.AofEnabled is { } aof ? (aof ? 1 : 0) : null, labels);
            SetOrRemove(_m.AofWriteSuccess, node.AofWriteOk is { } written ? (written ? 1 : 0) : null, labels);
            FollowCounter(_m.EvictedKeys, node.EvictedKeys, labels);
            FollowCounter(_m.ExpiredKeys, node.ExpiredKeys, labels);
            // A node that does not answer keeps its last incarnation: its restart is counted when it answers again.
            seen[node.Node] = node.Pid is null && node.Since is null && before is not null ? before with { Up = node.Up } : node;
        }

        foreach (var gone in _nodes.Keys.Where(n => !seen.ContainsKey(n)))
        {
            RemoveNode(gone);
        }

        _nodes = seen;
    }

    private void ObserveSentinels(IReadOnlyList<SentinelSample> sentinels)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sentinel in sentinels)
        {
            string[] labels = [_namespace, _resource, sentinel.Node, sentinel.Zone];
            _m.SentinelUp.WithLabels(labels).Set(sentinel.Up ? 1 : 0);
            _m.SentinelMonitoring.WithLabels(labels).Set(sentinel.MonitorsMaster ? 1 : 0);
            seen.Add(sentinel.Node);
        }

        foreach (var gone in _sentinels.Where(s => !seen.Contains(s)))
        {
            RemoveNode(gone);
        }

        _sentinels = seen;
    }

    public void FailedOver(FailoverRecord failover)
    {
        _m.MasterChanges.WithLabels(_namespace, _resource).Inc();
        _m.FailoverDuration.WithLabels(_namespace, _resource, FailoverCauses.Of(failover.Cause)).Observe(failover.DurationMs / 1000);
    }

    public void Healed(HealAction action) => _m.HealActions.WithLabels(_namespace, _resource, action.GetType().Name).Inc();

    /// <summary>Every series of this resource.</summary>
    public void Remove()
    {
        lock (_lock)
        {
            _m.RemoveSeries(labels => labels.Length >= 2 && labels[0] == _namespace && labels[1] == _resource);
            _nodes.Clear();
            _sentinels.Clear();
        }
    }

    private void RemoveNode(string node) =>
        _m.RemoveSeries(labels => labels.Length >= 4 && labels[0] == _namespace && labels[1] == _resource && labels[2] == node);

    /// <summary>The value, or no series at all when there is none to report.</summary>
    internal static void SetOrRemove(Prometheus.Gauge gauge, double? value, params string[] labels)
    {
        if (value is { } v)
        {
            gauge.WithLabels(labels).Set(v);
        }
        else
        {
            gauge.RemoveLabelled(labels);
        }
    }

    /// <summary>Follows a counter Redis keeps; when it went down (the process restarted) the series starts again, which Prometheus reads as a reset.</summary>
    private static void FollowCounter(Prometheus.Counter counter, long? value, string[] labels)
    {
        if (value is not { } v)
        {
            return;
        }

        var child = counter.WithLabels(labels);
        if (v < child.Value)
        {
            counter.RemoveLabelled(labels);
            child = counter.WithLabels(labels);
        }

        child.IncTo(v);
    }
}
