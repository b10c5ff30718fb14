using Redoubt.Core.Control;
using Redoubt.Core.Reconcile;
using Redoubt.Model;

namespace Redoubt.Platforms.Local;

/// <summary>The local platform's side of the control loop: resources come from the home's store, status goes back to it.</summary>
internal sealed class LocalResourceSource(ResourceStore store) : IResourceSource<RedisResource>
{
    public Task<ResourceRead<RedisResource>> ReadAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<ResourceRead<RedisResource>>(store.Get(key) is { } resource
            ? new ResourceRead<RedisResource>.Found(resource, resource)
            : new ResourceRead<RedisResource>.Gone(null));

    public RedisStatus? SavedStatusOf(ResourceRead<RedisResource>.Found found) => store.SavedStatus(found.Resource);

    public Task<PassResult> ReportAsync(ResourceRead<RedisResource>.Found found, ReconcileOutcome outcome, CancellationToken cancellationToken)
    {
        if (store.Get(found.Resource.Key) is not null)
        {
            store.SaveStatus(found.Resource, outcome.Status);
        }

        return Task.FromResult(new PassResult(outcome.RequeueAfter));
    }

    // The local control plane logs a failed pass where `serve` runs; the status file keeps the last completed pass.
    public Task ReportFailureAsync(string key, Exception error, TimeSpan retryIn, CancellationToken cancellationToken) => Task.CompletedTask;

    // Deleting is the control plane's: it stops the nodes and removes the files once the reconciler is released.
    public Task ReleaseAsync(string key, RedisResource? item, CancellationToken cancellationToken) => Task.CompletedTask;
}
