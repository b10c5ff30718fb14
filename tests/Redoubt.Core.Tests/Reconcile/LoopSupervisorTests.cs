using Microsoft.Extensions.Logging.Abstractions;
using Redoubt.Core.Reconcile;

namespace Redoubt.Core.Tests.Reconcile;

/// <summary>Every background loop of a reconciler is owned: restarted when it crashes, never run twice, awaited on dispose.</summary>
public sealed class LoopSupervisorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ALoopThatCrashesIsStartedAgain()
    {
        await using var loops = new LoopSupervisor(NullLogger.Instance, TimeProvider.System);
        var runs = 0;
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        loops.StartForever("watch", async token =>
        {
            if (Interlocked.Increment(ref runs) == 2)
            {
                second.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            }

            throw new InvalidOperationException("the watch broke");
        });

        await second.Task.WaitAsync(Deadline);
        Assert.True(loops.IsRunning("watch"));
    }

    [Fact]
    public async Task AWatchOfTheSameNameIsNotStartedTwiceButCanStartAgainOnceItEnded()
    {
        await using var loops = new LoopSupervisor(NullLogger.Instance, TimeProvider.System);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Assert.True(loops.StartOnce("hang watch", _ => release.Task));
        Assert.False(loops.StartOnce("hang watch", _ => Task.CompletedTask));
        Assert.True(loops.StartOnce("other watch", _ => Task.CompletedTask));

        release.SetResult();
        var deadline = DateTime.UtcNow + Deadline;
        while (loops.IsRunning("hang watch") && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        Assert.True(loops.StartOnce("hang watch", _ => Task.CompletedTask));
    }

    [Fact]
    public async Task DisposeCancelsEveryLoopAndReturnsOnlyOnceTheyHaveEnded()
    {
        var loops = new LoopSupervisor(NullLogger.Instance, TimeProvider.System);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = false;
        loops.StartForever("master watch", async token =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                // Clean-up that takes a moment: dispose must wait for it.
                await Task.Delay(50, CancellationToken.None);
                ended = true;
            }
        });
        await started.Task.WaitAsync(Deadline);

        await loops.DisposeAsync().AsTask().WaitAsync(Deadline);

        Assert.True(ended);
        Assert.False(loops.StartOnce("late watch", _ => Task.CompletedTask));
    }
}
