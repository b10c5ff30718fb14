using System.Collections.Concurrent;
using Redoubt.Core.Control;
using Redoubt.Core.Reconcile;
using Redoubt.Model;

namespace Redoubt.Core.Tests.Control.Fakes;

/// <summary>Resources kept in memory, some of them held (as a paused resource is); reports and releases go to the journal.</summary>
internal sealed class MemorySource(ConcurrentQueue<string> journal) : IResourceSource<string>
{
    public ConcurrentDictionary<string, RedisResource> Resources { get; } = new();
    public ConcurrentDictionary<string, bool> Held { get; } = new();
    public ConcurrentDictionary<string, RedisStatus> Saved { get; } = new();
    public ConcurrentDictionary<string, RedisStatus> Reported { get; } = new();

    public RedisResource Add(string name, long generation = 1)
    {
        var resource = new RedisResource { Metadata = { Name = name, Generation = generation } };
        Resources[resource.Key] = resource;
        return resource;
    }

    public Task<ResourceRead<string>> ReadAsync(string key, CancellationToken cancellationToken)
    {
        journal.Enqueue($"read {key}");
        return Task.FromResult<ResourceRead<string>>(
            !Resources.TryGetValue(key, out var resource) ? new ResourceRead<string>.Gone(null)
            : Held.ContainsKey(key) ? new ResourceRead<string>.Held(PassResult.Done)
            : new ResourceRead<string>.Found(key, resource));
    }

    public RedisStatus? SavedStatusOf(ResourceRead<string>.Found found) => Saved.GetValueOrDefault(found.Item);

    public Task<PassResult> ReportAsync(ResourceRead<string>.Found found, ReconcileOutcome outcome, CancellationToken cancellationToken)
    {
        Reported[found.Item] = outcome.Status;
        journal.Enqueue($"report {found.Item}");
        return Task.FromResult(new PassResult(outcome.RequeueAfter));
    }

    public Task ReportFailureAsync(string key, Exception error, TimeSpan retryIn, CancellationToken cancellationToken)
    {
        journal.Enqueue($"failed {key}: {error.Message}; retry in {retryIn.TotalMilliseconds} ms");
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, string? item, CancellationToken cancellationToken)
    {
        journal.Enqueue($"release {key}");
        return Task.CompletedTask;
    }
}
