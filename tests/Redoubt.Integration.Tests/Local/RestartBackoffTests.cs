using Redoubt.Platforms.Local;

namespace Redoubt.Integration.Tests.Local;

/// <summary>A crash loop waits longer each time; a node that ran properly, or one Redoubt fenced, is restarted at once.</summary>
public sealed class RestartBackoffTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ANodeThatDiesRightAfterEachStartWaitsLongerEachTimeUpToThirtySeconds()
    {
        var backoff = new RestartBackoff();
        var now = T0;
        var waits = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            backoff.Exited(now, now + TimeSpan.FromMilliseconds(50));
            now += TimeSpan.FromMilliseconds(50);
            waits.Add((backoff.NotBefore - now).TotalMilliseconds);
            now = backoff.NotBefore;
        }

        Assert.Equal([0, 250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000], waits);
    }

    [Fact]
    public void ANodeThatRanForAFewSecondsIsRestartedAtOnceEvenIfKilledAgainAndAgain()
    {
        var backoff = new RestartBackoff();
        var now = T0;
        for (var i = 0; i < 10; i++)
        {
            var started = now;
            now += RestartBackoff.Stable + TimeSpan.FromMilliseconds(100);
            backoff.Exited(started, now);
            Assert.Equal(now, backoff.NotBefore);
        }
    }

    [Fact]
    public void AFencedNodeIsRestartedAtOnceAndStartsTheCountAfresh()
    {
        var backoff = new RestartBackoff();
        backoff.Exited(T0, T0.AddMilliseconds(10));
        backoff.Exited(T0.AddMilliseconds(10), T0.AddMilliseconds(20));
        Assert.True(backoff.NotBefore > T0.AddMilliseconds(20));

        backoff.Exited(T0.AddMilliseconds(300), T0.AddMilliseconds(400), fenced: true);
        Assert.Equal(T0.AddMilliseconds(400), backoff.NotBefore);

        backoff.Exited(T0.AddMilliseconds(400), T0.AddMilliseconds(450));
        Assert.Equal(T0.AddMilliseconds(450), backoff.NotBefore);
    }
}
