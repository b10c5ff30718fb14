using Microsoft.Extensions.Logging;
using Redoubt.Core.Platform;
using Redoubt.Core.Reconcile;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>The production reconcilers: Core's, the same healer the local platform runs.</summary>
public sealed class CoreReconcilerFactory(ILoggerFactory loggerFactory, TimeProvider time) : IResourceReconcilerFactory
{
    public IResourceReconciler Create(string resourceKey, IRedisPlatform platform, RedisStatus? status)
    {
        var reconciler = new ResourceReconciler(platform, loggerFactory.CreateLogger<ResourceReconciler>(), time);
        reconciler.Restore(status);
        return new Adapter(reconciler);
    }

    private sealed class Adapter(ResourceReconciler reconciler) : IResourceReconciler
    {
        public Task<ReconcileOutcome> ReconcileAsync(RedisResource resource, CancellationToken cancellationToken) =>
            reconciler.ReconcileAsync(resource, cancellationToken);

        public Task OnNodeEventAsync(RedisResource resource, NodeEvent nodeEvent, CancellationToken cancellationToken) =>
            reconciler.OnNodeEventAsync(resource, nodeEvent, cancellationToken);

        public ValueTask DisposeAsync() => reconciler.DisposeAsync();
    }
}
