using Redoubt.Core.Platform;
using Redoubt.Core.Reconcile;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// The operator's view of Core's <see cref="ResourceReconciler"/>: one per resource key. The seam exists so the
/// operator's mechanics (queue, finalizer, status writes, leader hand-off) can be tested against the API test
/// server with a scripted reconciler, without Redis.
/// </summary>
public interface IResourceReconciler : IAsyncDisposable
{
    Task<ReconcileOutcome> ReconcileAsync(RedisResource resource, CancellationToken cancellationToken);

    Task OnNodeEventAsync(RedisResource resource, NodeEvent nodeEvent, CancellationToken cancellationToken);
}

public interface IResourceReconcilerFactory
{
    /// <param name="status">The status stored on the object, so history survives an operator restart.</param>
    IResourceReconciler Create(string resourceKey, IRedisPlatform platform, RedisStatus? status);
}
