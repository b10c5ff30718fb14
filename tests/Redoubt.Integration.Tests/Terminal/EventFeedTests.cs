using Redoubt.Output;

namespace Redoubt.Integration.Tests.Terminal;

public sealed class EventFeedTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnEventSeenOnceIsNotGivenAgain()
    {
        var feed = new EventFeed();
        var first = Event(1, "Normal", "PromoteNode");

        Assert.Equal([first], feed.Next([first]));
        Assert.Empty(feed.Next([first]));
    }

    [Fact]
    public void NewEventsComeOldestFirstWhateverTheOrderTheyAreRead()
    {
        var feed = new EventFeed();
        var (early, late) = (Event(1, "Normal", "A"), Event(2, "Normal", "B"));

        Assert.Equal([early, late], feed.Next([late, early]));
    }

    [Fact]
    public void TheSameReasonAtAnotherTimeIsAnotherEvent()
    {
        var feed = new EventFeed();
        feed.Next([Event(1, "Warning", "FailedOver")]);

        Assert.Single(feed.Next([Event(1, "Warning", "FailedOver"), Event(5, "Warning", "FailedOver")]));
    }

    [Theory]
    [InlineData("Warning", 0, true)]
    [InlineData("Warning", 3, true)]
    [InlineData("Warning", -3, false)]
    [InlineData("Normal", 3, false)]
    public void UpShowsOnlyTheWarningsSinceItStarted(string type, int secondsAfterStart, bool shown)
    {
        var feed = EventFeed.WarningsSince(Start);

        Assert.Equal(shown, feed.Next([Event(secondsAfterStart, type, "NodeCrashing")]).Count == 1);
    }

    [Fact]
    public void EventsOfEveryResourceAreMergedInTimeOrder()
    {
        var events = ResourceEvent.Of(
        [
            Resource("b", (2, "Second")),
            Resource("a", (1, "First"), (3, "Third")),
        ]);

        Assert.Equal(["First", "Second", "Third"], events.Select(e => e.Reason));
        Assert.Equal(["default/a", "default/b", "default/a"], events.Select(e => e.Resource));
    }

    [Fact]
    public void AFollowedLineKeepsTheColumnsOfItsHeader()
    {
        var line = EventTable.Line(Event(0, "Warning", "FailedOver"), TimeZoneInfo.Utc);

        Assert.Equal(EventTable.FollowHeader.IndexOf("REASON", StringComparison.Ordinal), line.IndexOf("FailedOver", StringComparison.Ordinal));
        Assert.StartsWith("2026-12-02 21:00:00   default/shop", line, StringComparison.Ordinal);
    }

    private static ResourceEvent Event(int seconds, string type, string reason) =>
        new(Start.AddSeconds(seconds), "default", "shop", type, reason, $"{reason} happened");

    private static Model.RedisResource Resource(string name, params (int Seconds, string Reason)[] events) => new()
    {
        Metadata = new Model.ObjectMeta { Namespace = "default", Name = name },
        Status = new Model.RedisStatus
        {
            Events = [.. events.Select(e => new Model.StatusEvent { Time = Start.AddSeconds(e.Seconds), Type = "Normal", Reason = e.Reason, Message = "" })],
        },
    };
}
