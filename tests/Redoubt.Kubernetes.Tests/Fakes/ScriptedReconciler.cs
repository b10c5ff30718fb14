using System.Collections.Concurrent;
using Redoubt.Core.Control;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Reconcile;
using Redoubt.Model;

namespace Redoubt.Kubernetes.Tests.Fakes;

/// <summary>
/// Stands in for Core's reconciler in the operator's mechanics tests: it drives the real Kubernetes platform
/// (password, ensure) like Core does, then reports the first running Redis pod as master, the others as replicas.
/// Redis itself is exercised by the integration tests, not here.
/// </summary>
public sealed class ScriptedReconcilerFactory : IResourceReconcilerFactory
{
    public ConcurrentQueue<string> Passes { get; } = new();
    public ConcurrentQueue<NodeEvent> NodeEvents { get; } = new();
    public ConcurrentQueue<string> Switchovers { get; } = new();
    public ConcurrentDictionary<string, RedisStatus?> Restored { get; } = new();
    public TimeSpan? RequeueAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Set to make passes fail with this exception.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Set to make passes of this resource wait until they are cancelled; each cancellation is counted in <see cref="CancelledPasses"/>.</summary>
    public string? HoldPassesOf { get; set; }

    public ConcurrentQueue<string> CancelledPasses { get; } = new();

    public IResourceReconciler Create(string resourceKey, IRedisPlatform platform, RedisStatus? status)
    {
        Restored[resourceKey] = status;
        return new Scripted(this, platform);
    }

    private sealed class Scripted(ScriptedReconcilerFactory owner, IRedisPlatform platform) : IResourceReconciler
    {
        public async Task<ReconcileOutcome> ReconcileAsync(RedisResource resource, CancellationToken cancellationToken)
        {
            owner.Passes.Enqueue(resource.Key);
            if (owner.Failure is { } failure)
            {
                throw failure;
            }

            if (owner.HoldPassesOf == resource.Key)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    owner.CancelledPasses.Enqueue(resource.Key);
                    throw;
                }
            }

            var plan = Planner.Plan(resource);
            await platform.EnsureSecretsAsync(plan, cancellationToken);
            var nodes = await platform.EnsureAsync(plan, cancellationToken);
            var master = nodes.FirstOrDefault(n => n.Kind == NodeKind.Redis && n.Lifecycle == NodeLifecycle.Running);
            var status = new RedisStatus
            {
                Phase = master is null ? Phases.Provisioning : Phases.Ready,
                ObservedGeneration = resource.Metadata.Generation,
                Master = master?.Address,
                Nodes = [.. nodes.Where(n => n.Kind == NodeKind.Redis).Select(n => new NodeStatus
                {
                    Name = n.Name,
                    Address = n.Address ?? "",
                    Role = n.Lifecycle != NodeLifecycle.Running ? n.Lifecycle.ToString().ToLowerInvariant() : n == master ? "master" : "replica",
                })],
                Conditions = [new StatusCondition { Type = "Ready", Status = master is null ? "False" : "True", Reason = master is null ? "NodesStarting" : "Ready" }],
                Events = [new StatusEvent { Time = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), Reason = "Planned", Message = $"{plan.RedisNodes.Count} Redis nodes" }],
            };
            return new ReconcileOutcome(status, owner.RequeueAfter);
        }

        public Task OnNodeEventAsync(RedisResource resource, NodeEvent nodeEvent, CancellationToken cancellationToken)
        {
            owner.NodeEvents.Enqueue(nodeEvent);
            return Task.CompletedTask;
        }

        public Task<SwitchoverResult> SwitchoverAsync(RedisResource resource, string? target, CancellationToken cancellationToken)
        {
            owner.Switchovers.Enqueue(resource.Key);
            return Task.FromResult(new SwitchoverResult(true, "rfr-redis-example-0", target ?? "rfr-redis-example-1", 12.5, "scripted switchover"));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
