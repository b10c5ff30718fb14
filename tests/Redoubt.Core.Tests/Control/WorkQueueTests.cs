using Microsoft.Extensions.Time.Testing;
using Redoubt.Core.Control;

namespace Redoubt.Core.Tests.Control;

public sealed class WorkQueueTests
{
    private static readonly ExponentialBackoff Backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    private readonly FakeTimeProvider _time = new();

    private static async Task<string?> TakeSoonAsync(WorkQueue queue)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await queue.TakeAsync(deadline.Token);
    }

    private static async Task<bool> NothingWithinAsync(WorkQueue queue, TimeSpan wait)
    {
        using var deadline = new CancellationTokenSource(wait);
        try
        {
            await queue.TakeAsync(deadline.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    [Fact]
    public async Task AddingSameKeyAgainHasNoEffect()
    {
        using var queue = new WorkQueue(_time, Backoff);
        queue.Add("default/a");
        queue.Add("default/a");
        queue.Add("default/b");

        Assert.Equal(2, queue.Count);
        Assert.Equal("default/a", await TakeSoonAsync(queue));
        Assert.Equal("default/b", await TakeSoonAsync(queue));
    }

    [Fact]
    public async Task KeyAddedWhileProcessingComesBackOnceAfterDone()
    {
        using var queue = new WorkQueue(_time, Backoff);
        queue.Add("default/a");
        var key = await TakeSoonAsync(queue);
        queue.Add("default/a");
        queue.Add("default/a");

        Assert.Equal(0, queue.Count);
        Assert.True(await NothingWithinAsync(queue, TimeSpan.FromMilliseconds(100)), "a key must never be handed to two workers at once");

        queue.Done(key!);
        Assert.Equal(1, queue.Count);
        Assert.Equal("default/a", await TakeSoonAsync(queue));
    }

    [Fact]
    public async Task WaitingWorkerGetsKeyAddedLater()
    {
        using var queue = new WorkQueue(_time, Backoff);
        var waiting = TakeSoonAsync(queue);
        queue.Add("default/a");
        Assert.Equal("default/a", await waiting);
    }

    [Fact]
    public async Task FailuresBackOffExponentiallyUntilForgotten()
    {
        using var queue = new WorkQueue(_time, Backoff);
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited("default/a"));
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, queue.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Count);
        queue.Done(await TakeSoonAsync(queue) ?? "");

        Assert.Equal(TimeSpan.FromSeconds(2), queue.AddRateLimited("default/a"));
        Assert.Equal(TimeSpan.FromSeconds(4), queue.AddRateLimited("default/a"));
        Assert.Equal(3, queue.Failures("default/a"));

        queue.Forget("default/a");
        Assert.Equal(0, queue.Failures("default/a"));
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited("default/a"));
    }

    [Fact]
    public void BackoffIsCapped()
    {
        Assert.Equal(TimeSpan.FromSeconds(16), Backoff.Delay(4));
        Assert.Equal(TimeSpan.FromSeconds(30), Backoff.Delay(5));
        Assert.Equal(TimeSpan.FromSeconds(30), Backoff.Delay(1000));
    }

    [Fact]
    public void BackoffIsPerKey()
    {
        using var queue = new WorkQueue(_time, Backoff);
        queue.AddRateLimited("default/a");
        queue.AddRateLimited("default/a");
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited("default/b"));
    }

    [Fact]
    public void EarlierDelayedAddWins()
    {
        using var queue = new WorkQueue(_time, Backoff);
        queue.AddAfter("default/a", TimeSpan.FromSeconds(10));
        queue.AddAfter("default/a", TimeSpan.FromSeconds(2));
        queue.AddAfter("default/a", TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task ShutDownReleasesWaitingWorkersAndRefusesNewKeys()
    {
        using var queue = new WorkQueue(_time, Backoff);
        var waiting = TakeSoonAsync(queue);
        queue.ShutDown();
        Assert.Null(await waiting);

        queue.Add("default/a");
        Assert.Equal(0, queue.Count);
        Assert.Null(await TakeSoonAsync(queue));
    }
}
