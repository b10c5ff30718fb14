using Microsoft.Extensions.Time.Testing;
using Redoubt.Core.ControlPlane;

namespace Redoubt.Core.Tests.ControlPlane;

public sealed class StatusFeedTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _deadline = new(Deadline);

    [Fact]
    public async Task EverySubscriberHearsOfAChange()
    {
        var feed = new StatusFeed();
        using var first = feed.Subscribe();
        using var second = feed.Subscribe();

        feed.Publish("default/a");

        Assert.Equal(["default/a"], Keys(await first.ReadAsync(Timeout())));
        Assert.Equal(["default/a"], Keys(await second.ReadAsync(Timeout())));
    }

    [Fact]
    public async Task ChangesOfOneResourceComeOnceWithTheTimeOfTheFirst()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var feed = new StatusFeed(time);
        using var subscription = feed.Subscribe();
        var first = time.GetUtcNow();

        feed.Publish("default/a");
        time.Advance(TimeSpan.FromMilliseconds(300));
        feed.Publish("default/b");
        feed.Publish("default/a");

        var changes = await subscription.ReadAsync(Timeout());
        Assert.False(changes.All);
        Assert.Equal([new StatusChange("default/a", first), new StatusChange("default/b", first.AddMilliseconds(300))], changes.Changes);
    }

    [Fact]
    public async Task ASubscriberThatFallsBehindIsToldToReadEverythingInstead()
    {
        var time = new FakeTimeProvider();
        var feed = new StatusFeed(time) { PendingLimit = 2 };
        using var subscription = feed.Subscribe();
        var first = time.GetUtcNow();

        feed.Publish("default/a");
        time.Advance(TimeSpan.FromSeconds(1));
        feed.Publish("default/b");
        feed.Publish("default/c");

        var changes = await subscription.ReadAsync(Timeout());
        Assert.True(changes.All);
        Assert.Equal(first, changes.Changes[0].Since);
        feed.Publish("default/d");
        Assert.Equal(["default/d"], Keys(await subscription.ReadAsync(Timeout())));
    }

    [Fact]
    public async Task AReadWaitsForTheNextChange()
    {
        var feed = new StatusFeed();
        using var subscription = feed.Subscribe();

        var read = subscription.ReadAsync(Timeout()).AsTask();
        Assert.False(read.IsCompleted);
        feed.Publish("default/a");

        Assert.Equal(["default/a"], Keys(await read.WaitAsync(Deadline)));
    }

    [Fact]
    public async Task PublishingToASubscriberThatNeverReadsNeitherBlocksNorGrows()
    {
        var feed = new StatusFeed();
        using var idle = feed.Subscribe();

        for (var i = 0; i < 100_000; i++)
        {
            feed.Publish($"default/r{i % 10}");
        }

        var pending = idle.ReadAsync(CancellationToken.None).AsTask();
        Assert.True(pending.IsCompletedSuccessfully, "ten resources' changes are pending, to be read at once");
        Assert.Equal(10, (await pending).Changes.Count);
    }

    [Fact]
    public async Task ADisposedSubscriptionIsNoLongerPublishedTo()
    {
        var feed = new StatusFeed();
        var gone = feed.Subscribe();
        using var staying = feed.Subscribe();

        gone.Dispose();
        feed.Publish("default/a");

        Assert.Equal(1, feed.SubscriberCount);
        Assert.Equal(["default/a"], Keys(await staying.ReadAsync(Timeout())));
    }

    private static string[] Keys(StatusChanges changes) => [.. changes.Changes.Select(c => c.Key)];

    private CancellationToken Timeout() => _deadline.Token;

    public void Dispose() => _deadline.Dispose();
}
