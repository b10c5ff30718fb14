using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Platform;
using Redoubt.Model;

namespace Redoubt.Core.Control;

/// <summary>
/// The controller loop both platforms run. Level-based: <see cref="Enqueue"/> only says "something changed for this
/// key", and the pass that follows reads the resource fresh from the <see cref="IResourceSource{TItem}"/> and
/// rebuilds everything. Keys wait in a <see cref="WorkQueue"/>: one pass per key at a time, a key queued once however
/// often it is added, failed passes retried with exponential backoff. The loop creates one reconciler per resource
/// and disposes it (awaited) when the resource goes. Node events from the platform go straight to the reconciler's
/// fast path, beside any pass, then ask for a pass.
/// </summary>
public sealed partial class ControlLoop<TItem> : IAsyncDisposable
{
    private readonly IRedisPlatform _platform;
    private readonly IResourceSource<TItem> _source;
    private readonly IResourceReconcilerFactory _reconcilers;
    private readonly ControlLoopOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly WorkQueue _queue;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ReconcilerSlot> _slots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _nodeEvents = new();
    private readonly CancellationTokenSource _passes = new();
    private int _disposed;
    private readonly CancellationTokenSource _stop = new();
    private int _started;

    public ControlLoop(IRedisPlatform platform, IResourceSource<TItem> source, IResourceReconcilerFactory reconcilers, ControlLoopOptions options, ILogger logger, TimeProvider time)
    {
        _platform = platform;
        _source = source;
        _reconcilers = reconcilers;
        _options = options;
        _logger = logger;
        _time = time;
        _queue = new WorkQueue(time, options.Backoff);
        options.Telemetry.WatchQueue(() => _queue.Count);
    }

    /// <summary>The queue, for tests that watch keys wait.</summary>
    internal WorkQueue Queue => _queue;

    /// <summary>Something changed for <paramref name="key"/>: a pass follows (one, however often this is called meanwhile).</summary>
    public void Enqueue(string key) => _queue.Add(key);

    /// <summary>The resource's reconciler, once a pass has created it; null before that and after the resource went.</summary>
    public IResourceReconciler? ReconcilerOf(string key)
    {
        lock (_lock)
        {
            return _slots.TryGetValue(key, out var slot) ? slot.Current : null;
        }
    }

    /// <summary>
    /// A planned switchover through the resource's reconciler, then a pass so the status shows it: the one way both
    /// platforms (the local control plane, the leading operator) carry one out.
    /// </summary>
    public async Task<SwitchoverResult> SwitchoverAsync(RedisResource resource, string? target, CancellationToken cancellationToken)
    {
        var reconciler = ReconcilerOf(resource.Key)
            ?? throw new RedoubtException($"{resource.Key} has not been reconciled yet (the control plane has just started or the resource was just created); try again in a moment");
        var result = await reconciler.SwitchoverAsync(resource, target, cancellationToken).ConfigureAwait(false);
        Enqueue(resource.Key);
        return result;
    }

    /// <summary>
    /// Runs passes and node events until <paramref name="stop"/> fires; then no pass starts, the ones in flight get
    /// <see cref="ControlLoopOptions.ShutdownGrace"/> before they are cancelled, and every reconciler is disposed.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("a control loop runs once");
        }

        LogStarted(_options.Workers);
        var workers = Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(WorkAsync, CancellationToken.None)).ToArray();
        var pump = Task.Run(PumpNodeEventsAsync, CancellationToken.None);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        LogStopping(_options.ShutdownGrace.TotalSeconds);
        _queue.ShutDown();
        if (_options.ShutdownGrace <= TimeSpan.Zero)
        {
            await _passes.CancelAsync().ConfigureAwait(false);
        }

        using (_time.CreateTimer(_ => _passes.Cancel(), null, _options.ShutdownGrace > TimeSpan.Zero ? _options.ShutdownGrace : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan))
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await pump.ConfigureAwait(false);
        List<KeyValuePair<string, ReconcilerSlot>> slots;
        lock (_lock)
        {
            slots = [.. _slots];
            _slots.Clear();
        }

        await Task.WhenAll(slots.Select(s => s.Value.ReleaseAsync())).ConfigureAwait(false);
        // No longer this loop's to report (an operator that lost its Lease must not go on exporting a stale view).
        foreach (var (key, _) in slots)
        {
            _options.Telemetry.ResourceGone(key);
        }

        await Task.WhenAll(_nodeEvents.Keys).ConfigureAwait(false);
        LogStopped();
    }

    /// <summary>
    /// Cancels the passes in flight at once, without <see cref="ControlLoopOptions.ShutdownGrace"/>: for an instance
    /// that has learnt that another one acts on the same resources now, so that nothing it began goes on changing them.
    /// The loop still stops only when its <c>stop</c> fires.
    /// </summary>
    public void AbortPasses()
    {
        try
        {
            _passes.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Stopped already.
        }
    }

    /// <summary>
    /// Disposes the resource's reconciler now, after cancelling and awaiting what runs on it: for a platform that
    /// removes a resource itself and must know nothing acts on it any more. A later pass starts afresh.
    /// </summary>
    public async Task ReleaseAsync(string key)
    {
        ReconcilerSlot? slot;
        lock (_lock)
        {
            _slots.Remove(key, out slot);
        }

        if (slot is not null)
        {
            await slot.ReleaseAsync().ConfigureAwait(false);
        }

        _options.Telemetry.ResourceGone(key);
    }

    private async Task WorkAsync()
    {
        while (await _queue.TakeAsync(CancellationToken.None).ConfigureAwait(false) is { } key)
        {
            var started = _time.GetTimestamp();
            var failed = false;
            try
            {
                var result = await PassAsync(key).ConfigureAwait(false);
                _queue.Forget(key);
                if (result.RequeueAfter is { } delay)
                {
                    _queue.AddAfter(key, delay);
                }
            }
            catch (OperationCanceledException) when (_passes.IsCancellationRequested)
            {
                LogPassCancelled(key);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failed = true;
                var delay = _queue.AddRateLimited(key);
                LogPassFailed(key, delay.TotalMilliseconds, e);
                await ReportFailureAsync(key, e, delay).ConfigureAwait(false);
            }
            finally
            {
                _queue.Done(key);
                _options.Telemetry.PassFinished(_time.GetElapsedTime(started), failed);
            }
        }
    }

    /// <summary>Still inside the key's turn, so it never overlaps a pass of the same key.</summary>
    private async Task ReportFailureAsync(string key, Exception error, TimeSpan retryIn)
    {
        try
        {
            await _source.ReportFailureAsync(key, error, retryIn, _passes.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_passes.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFailureNotReported(key, e);
        }
    }

    private async Task<PassResult> PassAsync(string key)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["resource"] = key });
        var slot = Claim(key);
        ResourceRead<TItem>.Gone gone;
        try
        {
            using var pass = CancellationTokenSource.CreateLinkedTokenSource(slot.Lifetime, _passes.Token);
            try
            {
                var read = await _source.ReadAsync(key, pass.Token).ConfigureAwait(false);
                switch (read)
                {
                    case ResourceRead<TItem>.Found found:
                        var reconciler = slot.Reconciler(() =>
                        {
                            var created = _reconcilers.Create(key, _platform, _source.SavedStatusOf(found));
                            created.RequestPassesWith(() => Enqueue(key));
                            return created;
                        });
                        slot.Follow(found.Resource);
                        var outcome = await reconciler.ReconcileAsync(found.Resource, pass.Token).ConfigureAwait(false);
                        return await _source.ReportAsync(found, outcome, pass.Token).ConfigureAwait(false);
                    case ResourceRead<TItem>.Held held:
                        slot.Follow(null);
                        return held.Result;
                    default:
                        gone = (ResourceRead<TItem>.Gone)read;
                        break;
                }
            }
            catch (OperationCanceledException) when (slot.Lifetime.IsCancellationRequested && !_passes.IsCancellationRequested)
            {
                // Released while this pass ran (the resource was removed): nothing left to do or to retry.
                return PassResult.Done;
            }
        }
        finally
        {
            slot.Exit();
        }

        // Outside the slot: releasing waits for the work on it to finish, this pass included.
        await ReleaseAsync(key).ConfigureAwait(false);
        await _source.ReleaseAsync(key, gone.Item, _passes.Token).ConfigureAwait(false);
        return PassResult.Done;
    }

    /// <summary>The key's slot with this pass registered on it; a new slot when there is none.</summary>
    private ReconcilerSlot Claim(string key)
    {
        lock (_lock)
        {
            if (!_slots.TryGetValue(key, out var slot) || !slot.TryEnter())
            {
                slot = new ReconcilerSlot();
                slot.TryEnter();
                _slots[key] = slot;
            }

            return slot;
        }
    }

    private async Task PumpNodeEventsAsync()
    {
        try
        {
            await foreach (var nodeEvent in _platform.NodeEvents.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                ReconcilerSlot? slot;
                lock (_lock)
                {
                    _slots.TryGetValue(nodeEvent.ResourceKey, out slot);
                }

                if (slot is not null && slot.TryEnterForNodeEvent(out var reconciler, out var resource))
                {
                    Track(HandleNodeEventAsync(slot, reconciler, resource, nodeEvent));
                }
                else
                {
                    // No reconciler to act (not created yet, or the resource is held): the pass sees the change.
                    Enqueue(nodeEvent.ResourceKey);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task HandleNodeEventAsync(ReconcilerSlot slot, IResourceReconciler reconciler, RedisResource resource, NodeEvent nodeEvent)
    {
        try
        {
            // Off the pump at once: one reconciler's fast path never delays another's.
            await Task.Yield();
            LogNodeEvent(nodeEvent.ResourceKey, nodeEvent.NodeName, nodeEvent.Event.ToString(), nodeEvent.Detail);
            await reconciler.OnNodeEventAsync(resource, nodeEvent, slot.Lifetime).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (slot.Lifetime.IsCancellationRequested)
        {
            // Released or stopping.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogNodeEventFailed(nodeEvent.ResourceKey, nodeEvent.NodeName, e);
        }
        finally
        {
            slot.Exit();
        }

        Enqueue(nodeEvent.ResourceKey);
    }

    private void Track(Task task)
    {
        _nodeEvents[task] = 0;
        _ = task.ContinueWith(t => _nodeEvents.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Idempotent: a host that stops and then disposes the loop (or disposes it twice) releases it once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _queue.Dispose();
        _passes.Dispose();
        _stop.Dispose();
    }
}
