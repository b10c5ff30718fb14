using Redoubt.Core.Healing;
using Redoubt.Core.Planning;

namespace Redoubt.Core.Reconcile;

/// <summary>Fences a node through the executor and says so; the exit it causes is never a reason for the fast path.</summary>
public sealed class Fencing(HealExecutor executor, ResourceKnowledge knowledge, Journal journal)
{
    public async Task<bool> FenceAsync(ResourcePlan plan, FenceNode fence, CancellationToken cancellationToken)
    {
        knowledge.ExpectExit(fence.Node);
        if (await executor.ExecuteAsync(plan, fence, Access.ResourceSecrets.None, cancellationToken).ConfigureAwait(false))
        {
            journal.Warning("Fenced", $"{fence.Describe()}: {fence.Reason}");
            return true;
        }

        // Already gone or replaced: no exit of ours is coming, so a later exit of that node is news.
        knowledge.TakeExpectedExit(fence.Node);
        return false;
    }
}
