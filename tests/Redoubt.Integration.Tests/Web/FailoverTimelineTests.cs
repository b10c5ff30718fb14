using Redoubt.Model;
using Redoubt.Web.Dashboard;

namespace Redoubt.Integration.Tests.Web;

public sealed class FailoverTimelineTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EachDistinctLastFailoverIsKeptNewestFirst()
    {
        var timeline = new FailoverTimeline();
        timeline.Record("default/a", Failover(Noon, "redis-0", "redis-1"));
        timeline.Record("default/a", Failover(Noon, "redis-0", "redis-1"));
        var records = timeline.Record("default/a", Failover(Noon.AddMinutes(1), "redis-1", "redis-2"));

        Assert.Equal(["redis-2", "redis-1"], records.Select(r => r.To));
    }

    [Fact]
    public void NoFailoverLeavesTheTimelineEmpty() => Assert.Empty(new FailoverTimeline().Record("default/a", null));

    [Fact]
    public void ResourcesHaveTimelinesOfTheirOwnAndForgettingOneClearsIt()
    {
        var timeline = new FailoverTimeline();
        timeline.Record("default/a", Failover(Noon, "redis-0", "redis-1"));
        timeline.Record("default/b", Failover(Noon, "redis-0", "redis-2"));
        timeline.Forget("default/a");

        Assert.Empty(timeline.Record("default/a", null));
        Assert.Equal(["redis-2"], timeline.Record("default/b", null).Select(r => r.To));
    }

    [Fact]
    public void OnlyTheNewestAreKept()
    {
        var timeline = new FailoverTimeline(capacity: 2);
        for (var i = 0; i < 5; i++)
        {
            timeline.Record("default/a", Failover(Noon.AddMinutes(i), "x", $"redis-{i}"));
        }

        Assert.Equal(["redis-4", "redis-3"], timeline.Record("default/a", null).Select(r => r.To));
    }

    private static FailoverRecord Failover(DateTimeOffset time, string from, string to) =>
        new() { Time = time, From = from, To = to, Cause = "test", DurationMs = 300 };
}
