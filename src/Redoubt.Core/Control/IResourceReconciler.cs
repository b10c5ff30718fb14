using Redoubt.Core.ControlPlane;
using Redoubt.Core.Platform;
using Redoubt.Core.Reconcile;
using Redoubt.Model;

namespace Redoubt.Core.Control;

/// <summary>
/// The loop's view of a resource's reconciler (<see cref="ResourceReconciler"/> in production). The seam lets the
/// loop's mechanics, and the operator's, be tested with a scripted reconciler, without Redis.
/// </summary>
public interface IResourceReconciler : IAsyncDisposable
{
    Task<ReconcileOutcome> ReconcileAsync(RedisResource resource, CancellationToken cancellationToken);

    /// <summary>The fast path: a lifecycle fact the platform saw directly, handled at once, beside any pass.</summary>
    Task OnNodeEventAsync(RedisResource resource, NodeEvent nodeEvent, CancellationToken cancellationToken);

    Task<SwitchoverResult> SwitchoverAsync(RedisResource resource, string? target, CancellationToken cancellationToken);

    /// <summary>Gives the reconciler a way to ask for a pass at once, between the passes its outcomes schedule.</summary>
    void RequestPassesWith(Action requestPass)
    {
    }
}
