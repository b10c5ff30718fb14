using Microsoft.Extensions.Time.Testing;
using Redoubt.Core.Reconcile;

namespace Redoubt.Core.Tests.Reconcile;

public sealed class CadenceTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    [Theory]
    [InlineData(0, 250)]
    [InlineData(1, 249)]
    [InlineData(100, 150)]
    [InlineData(225, 25)]
    [InlineData(230, 20 + 250)]
    [InlineData(249, 1 + 250)]
    [InlineData(250, 250)]
    [InlineData(1_000_060, 190)]
    public void TheDelayEndsOnTheNextSharedBoundaryButNeverWithinATenthOfAPeriod(long msPastAnHour, double expectedMs)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 13, 0, 0, TimeSpan.Zero).AddMilliseconds(msPastAnHour));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Cadence.UntilNext(Period, time));
    }

    [Fact]
    public void TwoWatchersStartedAtDifferentTimesWakeAtTheSameInstant()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 13, 0, 0, TimeSpan.Zero).AddMilliseconds(30));
        var first = time.GetUtcNow() + Cadence.UntilNext(Period, time);
        time.Advance(TimeSpan.FromMilliseconds(70));
        var second = time.GetUtcNow() + Cadence.UntilNext(Period, time);

        Assert.Equal(first, second);
    }
}
