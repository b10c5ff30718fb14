using k8s;
using k8s.Models;
using Redoubt.Core.Platform;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// What a change of one of our pods means. Pure: previous and current pod in, facts out. A Redis container that was
/// running and has terminated (or restarted since), or a pod being deleted, is a <see cref="NodeEvent"/>: the
/// reconciler's fast path when it was the master.
/// </summary>
public static class PodChanges
{
    public static NodeEvent? NodeEventFor(WatchEventType type, V1Pod? previous, V1Pod current, DateTimeOffset now)
    {
        var kind = KindOf(current);
        if (kind is null || ResourceOf(current) is not { } resource)
        {
            return null;
        }

        var key = ResourceKey.Of(current.Metadata.NamespaceProperty, resource);
        var name = current.Metadata.Name;
        var container = kind == NodeKind.Redis ? RedisStatefulSet.ContainerName : SentinelDeployment.ContainerName;
        if (type == WatchEventType.Deleted)
        {
            // Already reported when deletion began, unless the pod vanished without a graceful period.
            return previous?.Metadata.DeletionTimestamp is not null ? null : new NodeEvent(key, kind.Value, name, NodeEventKind.Deleted, now, "pod deleted");
        }

        if (current.Metadata.DeletionTimestamp is not null && previous is not null && previous.Metadata.DeletionTimestamp is null)
        {
            return new NodeEvent(key, kind.Value, name, NodeEventKind.Stopping, now, "pod is being deleted");
        }

        if (previous is null)
        {
            return null;
        }

        var before = ContainerStatus(previous, container);
        var after = ContainerStatus(current, container);
        if (after is null)
        {
            return null;
        }

        if (after.State?.Terminated is { } terminated && before?.State?.Terminated is null)
        {
            return new NodeEvent(key, kind.Value, name, NodeEventKind.Exited, now, $"container {container} terminated: {terminated.Reason ?? "exit"} (exit code {terminated.ExitCode})");
        }

        if (after.RestartCount > (before?.RestartCount ?? 0) && before?.State?.Terminated is null)
        {
            // The kubelet restarted it between two events we saw: it exited all the same.
            var last = after.LastState?.Terminated;
            return new NodeEvent(key, kind.Value, name, NodeEventKind.Exited, now, $"container {container} restarted: {last?.Reason ?? "exit"} (exit code {last?.ExitCode ?? 0})");
        }

        if (after.State?.Running is not null && before?.State?.Running is null)
        {
            return new NodeEvent(key, kind.Value, name, NodeEventKind.Started, now, $"container {container} running");
        }

        return null;
    }

    /// <summary>
    /// Whether a change is worth a reconcile pass: anything about where and whether the pod runs. Our own role-label
    /// patches change nothing here, so they do not cause a pass of their own.
    /// </summary>
    public static bool Matters(V1Pod? previous, V1Pod current) =>
        previous is null || Signature(previous) != Signature(current);

    public static NodeKind? KindOf(V1Pod pod) =>
        pod.Metadata.Labels.Get(Labels.Component) switch
        {
            Labels.ComponentRedis => NodeKind.Redis,
            Labels.ComponentSentinel => NodeKind.Sentinel,
            _ => null,
        };

    public static string? ResourceOf(IKubernetesObject<V1ObjectMeta> item) => item.Metadata.Labels.Get(Labels.Resource);

    internal static V1ContainerStatus? ContainerStatus(V1Pod pod, string container) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container);

    private static string Signature(V1Pod pod)
    {
        var containers = pod.Status?.ContainerStatuses ?? [];
        return string.Join('|',
            pod.Status?.Phase,
            pod.Status?.PodIP,
            pod.Spec?.NodeName,
            pod.Metadata.DeletionTimestamp?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            string.Join(',', containers.Select(c => $"{c.Name}:{c.Ready}:{c.RestartCount}:{(c.State?.Running is not null ? "run" : c.State?.Terminated is not null ? "term" : "wait")}")));
    }
}
