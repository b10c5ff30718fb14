using Microsoft.Extensions.Logging;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Platform;
using Redoubt.Core.Reconcile;
using Redoubt.Core.Telemetry;
using Redoubt.Model;

namespace Redoubt.Core.Control;

/// <summary>The production reconcilers: Core's <see cref="ResourceReconciler"/>, the same on every platform.</summary>
/// <param name="telemetry">Where each reconciler reports its resource's metrics; null: nowhere.</param>
public sealed class ResourceReconcilerFactory(ILoggerFactory loggerFactory, TimeProvider time, IControlPlaneTelemetry? telemetry = null) : IResourceReconcilerFactory
{
    public IResourceReconciler Create(string resourceKey, IRedisPlatform platform, RedisStatus? status)
    {
        var reconciler = new ResourceReconciler(platform, loggerFactory.CreateLogger<ResourceReconciler>(), time, (telemetry ?? NoTelemetry.Instance).Resource(resourceKey));
        reconciler.Restore(status);
        return new Adapter(reconciler);
    }

    private sealed class Adapter(ResourceReconciler reconciler) : IResourceReconciler
    {
        public Task<ReconcileOutcome> ReconcileAsync(RedisResource resource, CancellationToken cancellationToken) =>
            reconciler.ReconcileAsync(resource, cancellationToken);

        public Task OnNodeEventAsync(RedisResource resource, NodeEvent nodeEvent, CancellationToken cancellationToken) =>
            reconciler.OnNodeEventAsync(resource, nodeEvent, cancellationToken);

        public Task<SwitchoverResult> SwitchoverAsync(RedisResource resource, string? target, CancellationToken cancellationToken) =>
            reconciler.SwitchoverAsync(resource, target, cancellationToken);

        public void RequestPassesWith(Action requestPass) => reconciler.RequestPassesWith(requestPass);

        public ValueTask DisposeAsync() => reconciler.DisposeAsync();
    }
}
