using k8s.Models;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Operator;

namespace Redoubt.Platforms.Kubernetes.Platform;

/// <summary>
/// A resource's pods as <see cref="NodeState"/>s: named after the pod, addressed by the pod IP (the healer talks to
/// every node directly), one entry for every node the plan wants even before its pod exists. A Redis pod created
/// from another template than <c>templateHash</c> is outdated: the StatefulSet updates on delete only, so the healer
/// restarts it in turn. Sentinel pods are never reported outdated: their Deployment rolls them itself. Pure.
/// </summary>
public static class PodStates
{
    public static IReadOnlyList<NodeState> From(ResourcePlan plan, ObjectNames names, IEnumerable<V1Pod> pods, Func<V1Pod, string> zoneOf, string templateHash)
    {
        var byKind = pods.GroupBy(p => PodChanges.KindOf(p)).ToDictionary(g => g.Key ?? (NodeKind)(-1), g => g.ToList());
        var redisPods = byKind.GetValueOrDefault(NodeKind.Redis) ?? [];
        var sentinelPods = byKind.GetValueOrDefault(NodeKind.Sentinel) ?? [];
        var states = new List<NodeState>();

        var wanted = Enumerable.Range(0, plan.Spec.Replicas).Select(names.RedisPod).ToHashSet();
        foreach (var name in Enumerable.Range(0, plan.Spec.Replicas).Select(names.RedisPod))
        {
            var pod = redisPods.FirstOrDefault(p => p.Metadata.Name == name);
            states.Add(pod is null
                ? new NodeState(NodeKind.Redis, name, "", NodeLifecycle.Missing, null, Ports.Redis)
                : From(pod, NodeKind.Redis, zoneOf(pod)) with { Outdated = OutdatedRedisPod(pod, templateHash, plan.RestartedAt) });
        }

        // Pods past the wanted count (a scale-down in progress) still hold data and may still be the master.
        states.AddRange(redisPods.Where(p => !wanted.Contains(p.Metadata.Name)).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).Select(p => From(p, NodeKind.Redis, zoneOf(p))));

        var sentinels = sentinelPods.OrderBy(p => p.Metadata.CreationTimestamp).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        states.AddRange(sentinels.Select(p => From(p, NodeKind.Sentinel, zoneOf(p))));
        var running = sentinels.Count(p => p.Metadata.DeletionTimestamp is null);
        for (var i = running; i < plan.Spec.Sentinel.Replicas; i++)
        {
            // Deployment pods get random names; a placeholder stands for each one not created yet.
            states.Add(new NodeState(NodeKind.Sentinel, $"{names.SentinelDeployment}-pending-{i}", "", NodeLifecycle.Missing, null, Ports.Sentinel));
        }

        return states;
    }

    /// <summary>Why a Redis pod no longer matches the StatefulSet's template, or null when it does.</summary>
    public static string? OutdatedRedisPod(V1Pod pod, string templateHash, string? restartedAt)
    {
        var annotations = pod.Metadata.Annotations;
        if (annotations.Get(Annotations.TemplateHash) == templateHash)
        {
            return null;
        }

        return restartedAt is not null && annotations.Get(Model.ResourceAnnotations.RestartedAt) != restartedAt
            ? $"a restart was requested ({restartedAt})"
            : "its pod was created from an older template (configuration, resources or image)";
    }

    public static NodeState From(V1Pod pod, NodeKind kind, string zone)
    {
        var container = kind == NodeKind.Redis ? RedisStatefulSet.ContainerName : SentinelDeployment.ContainerName;
        var status = PodChanges.ContainerStatus(pod, container);
        var port = kind == NodeKind.Redis ? Ports.Redis : Ports.Sentinel;
        var since = status?.State?.Running?.StartedAt is { } started ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        return new NodeState(kind, pod.Metadata.Name, zone, LifecycleOf(pod, status), string.IsNullOrEmpty(pod.Status?.PodIP) ? null : pod.Status.PodIP, port, null, since);
    }

    public static NodeLifecycle LifecycleOf(V1Pod pod, V1ContainerStatus? container)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return NodeLifecycle.Terminating;
        }

        if (pod.Status?.Phase is "Failed" or "Succeeded")
        {
            return NodeLifecycle.Exited;
        }

        if (container?.State?.Terminated is not null || container?.State?.Waiting?.Reason == "CrashLoopBackOff")
        {
            return NodeLifecycle.Exited;
        }

        return container?.State?.Running is not null && !string.IsNullOrEmpty(pod.Status?.PodIP)
            ? NodeLifecycle.Running
            : NodeLifecycle.Starting;
    }
}
