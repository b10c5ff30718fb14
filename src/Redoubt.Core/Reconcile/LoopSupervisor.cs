using Microsoft.Extensions.Logging;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// Owns every background loop of a reconciler: starts it, restarts a long-lived one that crashes (after logging it,
/// never silently), keeps one-shot watches to one at a time per name, and on dispose cancels them all and awaits them.
/// </summary>
public sealed class LoopSupervisor(ILogger logger, TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Task> _running = [];
    private bool _disposed;

    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>Starts a loop meant to run until dispose; a crash is logged and the loop started again. False when it runs already.</summary>
    public bool StartForever(string name, Func<CancellationToken, Task> loop) =>
        Start(name, () => KeepRunningAsync(name, loop));

    /// <summary>Starts a watch that ends by itself; false when one of that name runs already (it is not started twice).</summary>
    public bool StartOnce(string name, Func<CancellationToken, Task> watch) =>
        Start(name, () => RunOnceAsync(name, watch));

    public bool IsRunning(string name)
    {
        lock (_lock)
        {
            return _running.TryGetValue(name, out var task) && !task.IsCompleted;
        }
    }

    private bool Start(string name, Func<Task> run)
    {
        lock (_lock)
        {
            if (_disposed || (_running.TryGetValue(name, out var task) && !task.IsCompleted))
            {
                return false;
            }

            // Task.Run: the caller (a pass, a node event) must never run the loop's first steps on its own time.
            _running[name] = Task.Run(run);
            return true;
        }
    }

    private async Task KeepRunningAsync(string name, Func<CancellationToken, Task> loop)
    {
        while (!_lifetime.IsCancellationRequested)
        {
            await RunOnceAsync(name, loop).ConfigureAwait(false);
            try
            {
                await Task.Delay(RestartDelay, time, _lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunOnceAsync(string name, Func<CancellationToken, Task> loop)
    {
        try
        {
            await loop(_lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            // A dead watch would leave hangs unfenced or failovers unseen: say so, and let the owner start it again.
            ReconcilerLog.LoopFailed(logger, name, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_lock)
        {
            _disposed = true;
            running = [.. _running.Values];
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(running).ConfigureAwait(false);
        _lifetime.Dispose();
    }
}
