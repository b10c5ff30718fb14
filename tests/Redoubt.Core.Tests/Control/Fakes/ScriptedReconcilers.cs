using System.Collections.Concurrent;
using Redoubt.Core.Control;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Platform;
using Redoubt.Core.Reconcile;
using Redoubt.Model;

namespace Redoubt.Core.Tests.Control.Fakes;

/// <summary>
/// Reconcilers whose passes do what the test says (succeed, fail, block until released) and which record what the
/// loop asked of them, in order, in <see cref="Journal"/> shared with the source.
/// </summary>
internal sealed class ScriptedReconcilers(ConcurrentQueue<string> journal) : IResourceReconcilerFactory
{
    public ConcurrentQueue<string> Journal { get; } = journal;
    public ConcurrentDictionary<string, RedisStatus?> Restored { get; } = new();
    public TimeSpan? RequeueAfter { get; set; }
    public Exception? Failure { get; set; }

    /// <summary>While set, passes wait for it (or for cancellation) before they return.</summary>
    public TaskCompletionSource? PassGate { get; set; }

    public int Passes(string key) => Journal.Count(line => line == $"pass {key}");

    public IResourceReconciler Create(string resourceKey, IRedisPlatform platform, RedisStatus? status)
    {
        Restored[resourceKey] = status;
        Journal.Enqueue($"create {resourceKey}");
        return new Scripted(this, resourceKey);
    }

    private sealed class Scripted(ScriptedReconcilers owner, string key) : IResourceReconciler
    {
        public async Task<ReconcileOutcome> ReconcileAsync(RedisResource resource, CancellationToken cancellationToken)
        {
            owner.Journal.Enqueue($"pass {key}");
            if (owner.PassGate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            if (owner.Failure is { } failure)
            {
                throw failure;
            }

            return new ReconcileOutcome(new RedisStatus { Phase = Phases.Ready, ObservedGeneration = resource.Metadata.Generation }, owner.RequeueAfter);
        }

        public Task OnNodeEventAsync(RedisResource resource, NodeEvent nodeEvent, CancellationToken cancellationToken)
        {
            owner.Journal.Enqueue($"node event {key} {nodeEvent.NodeName}");
            return Task.CompletedTask;
        }

        public Task<SwitchoverResult> SwitchoverAsync(RedisResource resource, string? target, CancellationToken cancellationToken)
        {
            owner.Journal.Enqueue($"switchover {key} to {target ?? "any"}");
            return Task.FromResult(new SwitchoverResult(true, "redis-0", target ?? "redis-1", 0, "scripted"));
        }

        public ValueTask DisposeAsync()
        {
            owner.Journal.Enqueue($"dispose {key}");
            return ValueTask.CompletedTask;
        }
    }
}
