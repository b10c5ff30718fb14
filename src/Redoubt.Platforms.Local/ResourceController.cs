using Microsoft.Extensions.Logging;
using Redoubt.Core.Platform;
using Redoubt.Core.Reconcile;
using Redoubt.Model;

namespace Redoubt.Platforms.Local;

/// <summary>
/// Drives the reconciler of one resource: a pass whenever something changed (apply, a node event) or the last
/// pass asked to look again, and the status of each pass saved beside the resource.
/// </summary>
internal sealed partial class ResourceController : IAsyncDisposable
{
    private readonly ResourceFolder _folder;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private RedisResource _resource;
    private string? _savedStatus;

    public ResourceController(RedisResource resource, ResourceFolder folder, IRedisPlatform platform, ILogger logger, TimeProvider time)
    {
        _resource = resource;
        _folder = folder;
        _logger = logger;
        Reconciler = new ResourceReconciler(platform, logger, time);
        if (AtomicFile.ReadOrNull(folder.StatusFile) is { } saved)
        {
            Reconciler.Restore(ResourceSerializer.FromJson(saved).Status);
        }

        _loop = Task.Run(RunAsync);
    }

    public ResourceReconciler Reconciler { get; }

    public RedisResource Resource => Volatile.Read(ref _resource);

    /// <summary>The resource with its latest status.</summary>
    public RedisResource Snapshot()
    {
        var resource = Resource;
        return new RedisResource
        {
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Metadata = resource.Metadata,
            Spec = resource.Spec,
            Status = Reconciler.LastStatus ?? new RedisStatus(),
        };
    }

    public void Update(RedisResource resource)
    {
        Volatile.Write(ref _resource, resource);
        Wake();
    }

    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    public async Task OnNodeEventAsync(NodeEvent nodeEvent)
    {
        try
        {
            await Reconciler.OnNodeEventAsync(Resource, nodeEvent, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        Wake();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TimeSpan? requeue = TimeSpan.FromSeconds(1);
            try
            {
                var outcome = await Reconciler.ReconcileAsync(Resource, _stop.Token).ConfigureAwait(false);
                Save(outcome.Status);
                requeue = outcome.RequeueAfter;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogPassFailed(_logger, Resource.Key, e);
            }

            try
            {
                await _wake.WaitAsync(requeue ?? Timeout.InfiniteTimeSpan, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Save(RedisStatus status)
    {
        var json = ResourceSerializer.ToJson(new RedisResource { Metadata = Resource.Metadata, Spec = Resource.Spec, Status = status });
        if (json != _savedStatus && Directory.Exists(_folder.Root))
        {
            AtomicFile.Write(_folder.StatusFile, json, durable: false);
            _savedStatus = json;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await Reconciler.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource}: reconcile pass failed")]
    private static partial void LogPassFailed(ILogger logger, string resource, Exception exception);
}
