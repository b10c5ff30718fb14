namespace Redoubt.Core.Control;

/// <summary>
/// Resource keys waiting for a reconcile pass, with the guarantees of client-go's rate-limited queue: a key is in
/// the queue at most once however often it is added; a key is never handed to two workers at once (added while
/// being processed, it comes back once <see cref="Done"/> is called); failures delay a key exponentially
/// (<see cref="AddRateLimited"/>) until <see cref="Forget"/>. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff _backoff;
    private readonly Queue<string> _queue = new();
    private readonly HashSet<string> _dirty = [];
    private readonly HashSet<string> _processing = [];
    private readonly Dictionary<string, (ITimer Timer, DateTimeOffset Due)> _delayed = [];
    private readonly Dictionary<string, int> _failures = [];
    private readonly Queue<TaskCompletionSource<string?>> _waiters = new();
    private bool _shuttingDown;

    public WorkQueue(TimeProvider time, ExponentialBackoff backoff)
    {
        _time = time;
        _backoff = backoff;
    }

    /// <summary>Keys queued and not being processed.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Keys waiting for their delay (a requeue or a backoff) to pass.</summary>
    public int Delayed
    {
        get
        {
            lock (_lock)
            {
                return _delayed.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(string key)
    {
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(key))
            {
                return;
            }

            if (_processing.Contains(key))
            {
                // Handed out again when the worker that holds it is done.
                return;
            }

            Enqueue(key);
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending add of the same key wins.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var timer = _time.CreateTimer(Fire, key, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = (timer, due);
        }
    }

    /// <summary>Adds the key after its next backoff delay: base, 2×base, 4×base … up to the maximum.</summary>
    public TimeSpan AddRateLimited(string key)
    {
        TimeSpan delay;
        lock (_lock)
        {
            var failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures + 1;
            delay = _backoff.Delay(failures);
        }

        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the key's failure count, after a pass that succeeded.</summary>
    public void Forget(string key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    public int Failures(string key)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>The next key to process; null once the queue is shut down and drained.</summary>
    public async Task<string?> TakeAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<string?> waiter;
        lock (_lock)
        {
            if (_queue.Count > 0)
            {
                return Claim(_queue.Dequeue());
            }

            if (_shuttingDown)
            {
                return null;
            }

            waiter = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        // A waiter cancelled after it was handed a key completes with that key, so no key is ever lost here;
        // one cancelled first is skipped by Enqueue.
        using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)))
        {
            return await waiter.Task;
        }
    }

    public void Done(string key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key))
            {
                Enqueue(key);
            }
        }
    }

    /// <summary>Stops accepting keys; waiting workers get null once the queue is empty.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            _shuttingDown = true;
            foreach (var (timer, _) in _delayed.Values)
            {
                timer.Dispose();
            }

            _delayed.Clear();
            while (_waiters.TryDequeue(out var waiter))
            {
                waiter.TrySetResult(null);
            }
        }
    }

    public void Dispose() => ShutDown();

    private void Fire(object? state)
    {
        var key = (string)state!;
        lock (_lock)
        {
            if (_delayed.Remove(key, out var pending))
            {
                pending.Timer.Dispose();
            }
        }

        Add(key);
    }

    private void Enqueue(string key)
    {
        while (_waiters.TryDequeue(out var waiter))
        {
            if (waiter.TrySetResult(Claim(key)))
            {
                return;
            }

            _processing.Remove(key);
            _dirty.Add(key);
        }

        _queue.Enqueue(key);
    }

    private string Claim(string key)
    {
        _dirty.Remove(key);
        _processing.Add(key);
        return key;
    }
}
