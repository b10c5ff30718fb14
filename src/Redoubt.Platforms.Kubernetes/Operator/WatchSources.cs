using k8s;
using k8s.Models;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>List and watch calls for the kinds the operator follows, in one namespace or all, only objects Redoubt made.</summary>
internal static class WatchSources
{
    private const string Ours = Labels.ManagedBy + "=" + Labels.ManagedByValue;

    public static (ObjectWatch<V1Pod>.ListFunction, ObjectWatch<V1Pod>.WatchFunction) Pods(IKubernetes client, string? ns) =>
    (
        async ct =>
        {
            var list = ns is null
                ? await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: Ours, cancellationToken: ct)
                : await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: Ours, cancellationToken: ct);
            return (list.Items, list.Metadata.ResourceVersion);
        },
        (rv, timeout, onError, ct) => ns is null
            ? client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: Ours, resourceVersion: rv, timeoutSeconds: (int)timeout.TotalSeconds, onError: onError, cancellationToken: ct)
            : client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, labelSelector: Ours, resourceVersion: rv, timeoutSeconds: (int)timeout.TotalSeconds, onError: onError, cancellationToken: ct)
    );

    public static (ObjectWatch<V1StatefulSet>.ListFunction, ObjectWatch<V1StatefulSet>.WatchFunction) StatefulSets(IKubernetes client, string? ns) =>
    (
        async ct =>
        {
            var list = ns is null
                ? await client.AppsV1.ListStatefulSetForAllNamespacesAsync(labelSelector: Ours, cancellationToken: ct)
                : await client.AppsV1.ListNamespacedStatefulSetAsync(ns, labelSelector: Ours, cancellationToken: ct);
            return (list.Items, list.Metadata.ResourceVersion);
        },
        (rv, timeout, onError, ct) => ns is null
            ? client.AppsV1.WatchListStatefulSetForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: Ours, resourceVersion: rv, timeoutSeconds: (int)timeout.TotalSeconds, onError: onError, cancellationToken: ct)
            : client.AppsV1.WatchListNamespacedStatefulSetAsync(ns, allowWatchBookmarks: true, labelSelector: Ours, resourceVersion: rv, timeoutSeconds: (int)timeout.TotalSeconds, onError: onError, cancellationToken: ct)
    );

    public static (ObjectWatch<V1Deployment>.ListFunction, ObjectWatch<V1Deployment>.WatchFunction) Deployments(IKubernetes client, string? ns) =>
    (
        async ct =>
        {
            var list = ns is null
                ? await client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: Ours, cancellationToken: ct)
                : await client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: Ours, cancellationToken: ct);
            return (list.Items, list.Metadata.ResourceVersion);
        },
        (rv, timeout, onError, ct) => ns is null
            ? client.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: Ours, resourceVersion: rv, timeoutSeconds: (int)timeout.TotalSeconds, onError: onError, cancellationToken: ct)
            : client.AppsV1.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, labelSelector: Ours, resourceVersion: rv, timeoutSeconds: (int)timeout.TotalSeconds, onError: onError, cancellationToken: ct)
    );

    public static (ObjectWatch<RedisObject>.ListFunction, ObjectWatch<RedisObject>.WatchFunction) Redises(RedisApi api, string? ns) =>
    (
        ct => api.ListAsync(ns, ct),
        (rv, timeout, onError, ct) => api.WatchAsync(ns, rv, timeout, onError, ct)
    );
}
