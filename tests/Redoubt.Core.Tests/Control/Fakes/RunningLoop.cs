using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Redoubt.Core.Control;

namespace Redoubt.Core.Tests.Control.Fakes;

/// <summary>
/// A control loop running against in-memory resources and scripted reconcilers, on a fake clock: delays and
/// backoff pass only when a test advances <see cref="Time"/>. Everything the loop does lands in <see cref="Journal"/>.
/// </summary>
internal sealed class RunningLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private RunningLoop()
    {
        Source = new MemorySource(Journal);
        Reconcilers = new ScriptedReconcilers(Journal);
        var options = new ControlLoopOptions { Workers = 2, Backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), ShutdownGrace = TimeSpan.Zero };
        Loop = new ControlLoop<string>(Platform, Source, Reconcilers, options, NullLogger.Instance, Time);
        Run = Loop.RunAsync(_stop.Token);
    }

    public FakeTimeProvider Time { get; } = new();
    public ConcurrentQueue<string> Journal { get; } = new();
    public EventOnlyPlatform Platform { get; } = new();
    public MemorySource Source { get; }
    public ScriptedReconcilers Reconcilers { get; }
    public ControlLoop<string> Loop { get; }
    public Task Run { get; }

    public static RunningLoop Start() => new();

    public int Count(string line) => Journal.Count(l => l == line);

    public async Task EventuallyAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"within 5 s: {what}\njournal:\n{string.Join("\n", Journal)}");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>No key queued and <paramref name="delayed"/> waiting for a delay (a requeue, a backoff): passes so far have ended.</summary>
    public Task SettledAsync(int delayed) =>
        EventuallyAsync(() => Loop.Queue.Count == 0 && Loop.Queue.Delayed == delayed, $"the loop is idle with {delayed} key(s) waiting for a delay");

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Loop.DisposeAsync();
        _stop.Dispose();
    }
}
