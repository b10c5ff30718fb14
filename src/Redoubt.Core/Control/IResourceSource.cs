using Redoubt.Core.Reconcile;
using Redoubt.Model;

namespace Redoubt.Core.Control;

/// <summary>
/// The platform's side of the control loop: where resources come from and where their status goes. Everything
/// else (the queue, backoff, one reconciler per resource, node events) is the loop's and the same everywhere.
/// Calls for one key never overlap.
/// </summary>
public interface IResourceSource<TItem>
{
    /// <summary>The resource as it is now, read fresh: every pass rebuilds everything from it.</summary>
    Task<ResourceRead<TItem>> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>The status saved by an earlier control plane, restored into the resource's new reconciler.</summary>
    RedisStatus? SavedStatusOf(ResourceRead<TItem>.Found found);

    /// <summary>Saves the pass's status and says when to look again.</summary>
    Task<PassResult> ReportAsync(ResourceRead<TItem>.Found found, ReconcileOutcome outcome, CancellationToken cancellationToken);

    /// <summary>
    /// A pass failed and is retried after <paramref name="retryIn"/>: the failure goes where the resource's users look
    /// (its status, events), not only to the log. A failure to report is logged, never retried.
    /// </summary>
    Task ReportFailureAsync(string key, Exception error, TimeSpan retryIn, CancellationToken cancellationToken);

    /// <summary>After the reconciler of a resource that is gone was disposed: cleanup, and forgetting what was kept for it.</summary>
    Task ReleaseAsync(string key, TItem? item, CancellationToken cancellationToken);
}
