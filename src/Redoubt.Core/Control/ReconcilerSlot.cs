using Redoubt.Model;

namespace Redoubt.Core.Control;

/// <summary>
/// One resource's place in the loop: its reconciler (created by the first pass that finds the resource), the
/// resource node events are handled against, and the work in flight on it (a pass, node events). Releasing it
/// cancels that work, waits for it, then disposes the reconciler: nothing ever runs on a disposed reconciler.
/// </summary>
internal sealed class ReconcilerSlot : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private IResourceReconciler? _reconciler;
    private RedisResource? _resource;
    private int _inFlight;
    private bool _released;

    /// <summary>Cancelled when the slot is released.</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>Registers work on the slot; false once it is released.</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_released)
            {
                return false;
            }

            _inFlight++;
            return true;
        }
    }

    /// <summary>Registers a node event's work, only when there is a reconciler and a resource to handle it against.</summary>
    public bool TryEnterForNodeEvent(out IResourceReconciler reconciler, out RedisResource resource)
    {
        lock (_lock)
        {
            (reconciler, resource) = (_reconciler!, _resource!);
            if (_released || _reconciler is null || _resource is null)
            {
                return false;
            }

            _inFlight++;
            return true;
        }
    }

    public void Exit()
    {
        lock (_lock)
        {
            if (--_inFlight == 0 && _released)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>The reconciler, if a pass has created it.</summary>
    public IResourceReconciler? Current
    {
        get
        {
            lock (_lock)
            {
                return _reconciler;
            }
        }
    }

    /// <summary>The reconciler, created on first use. Only a pass calls this, and one pass at a time.</summary>
    public IResourceReconciler Reconciler(Func<IResourceReconciler> create)
    {
        lock (_lock)
        {
            return _reconciler ??= create();
        }
    }

    /// <summary>What node events are handled against; null while the resource is held (paused, invalid).</summary>
    public void Follow(RedisResource? resource)
    {
        lock (_lock)
        {
            _resource = resource;
        }
    }

    /// <summary>Cancels the work in flight, waits for it, and disposes the reconciler. Work that registers later is refused.</summary>
    public async Task ReleaseAsync()
    {
        lock (_lock)
        {
            if (_released)
            {
                return;
            }

            _released = true;
            if (_inFlight == 0)
            {
                _drained.TrySetResult();
            }
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _drained.Task.ConfigureAwait(false);
        IResourceReconciler? reconciler;
        lock (_lock)
        {
            reconciler = _reconciler;
        }

        if (reconciler is not null)
        {
            await reconciler.DisposeAsync().ConfigureAwait(false);
        }

        _lifetime.Dispose();
    }

    public ValueTask DisposeAsync() => new(ReleaseAsync());
}
