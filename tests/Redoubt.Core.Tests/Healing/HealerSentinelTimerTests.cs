using Redoubt.Core.Healing;
using Redoubt.Core.Planning;
using Redoubt.Core.Tests.Fixtures;
using Redoubt.Model;

namespace Redoubt.Core.Tests.Healing;

/// <summary>Sentinel's process-wide timers are lost at every restart; the healer sets them again where they can be set.</summary>
public sealed class HealerSentinelTimerTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    private static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        ["INFO-PERIOD"] = "10000",
        ["PING-PERIOD"] = "1000",
        ["ASK-PERIOD"] = "1000",
        ["PUBLISH-PERIOD"] = "2000",
        ["TILT-PERIOD"] = "30000",
    };

    [Fact]
    public void ASentinelWithItsDefaultTimersGetsThePlansOnesAndNothingElse()
    {
        var healthy = ObservedClusters.Healthy(Plan);
        var observation = healthy.With(healthy.Sentinels[1] with { Timers = Defaults });

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal(["sentinel debug sentinel-1 127.0.0.1:26001 PING-PERIOD=400 ASK-PERIOD=300 INFO-PERIOD=1000 TILT-PERIOD=5000"], Steps.Of(decision.Actions));
        Assert.Equal("PING-PERIOD is 1000, ASK-PERIOD is 1000, INFO-PERIOD is 10000, TILT-PERIOD is 30000 ms; Redoubt wants 400, 300, 1000, 5000", decision.Actions[0].Reason);
        Assert.False(decision.Actions[0].Disruptive);
    }

    [Fact]
    public void OnlyTheTimersThatDifferAreSet()
    {
        var healthy = ObservedClusters.Healthy(Plan);
        var timers = new Dictionary<string, string>(Defaults, StringComparer.Ordinal) { ["PING-PERIOD"] = "250", ["INFO-PERIOD"] = "1000", ["ASK-PERIOD"] = "100", ["TILT-PERIOD"] = "5000" };

        var decision = Healer.Decide(Plan, healthy.With(healthy.Sentinels[0] with { Timers = timers }), HealContexts.At());

        // An ask period of 100 ms, set by an earlier Redoubt, goes to 300: it made split votes likely.
        Assert.Equal(["sentinel debug sentinel-0 127.0.0.1:26000 PING-PERIOD=400 ASK-PERIOD=300"], Steps.Of(decision.Actions));
    }

    [Fact]
    public void TimersAlreadySetOrNotSupportedNeedNothing()
    {
        var healthy = ObservedClusters.Healthy(Plan);
        var set = new Dictionary<string, string>(Defaults, StringComparer.Ordinal) { ["PING-PERIOD"] = "400", ["ASK-PERIOD"] = "300", ["INFO-PERIOD"] = "1000", ["TILT-PERIOD"] = "5000" };

        // Sentinels before 7.0 answer SENTINEL DEBUG with an error: the observer reports no timers at all.
        var decision = Healer.Decide(Plan, healthy.With(healthy.Sentinels[0] with { Timers = set }), HealContexts.At());

        Assert.Empty(decision.Actions);
    }

    /// <summary>
    /// A Sentinel thawed after a zone froze sat in TILT for Sentinel's default 30 s, judging nothing down, and the next
    /// master to hang could not be failed over for that long: the period follows the resource's down-after instead.
    /// </summary>
    [Theory]
    [InlineData(1000, "5000")]
    [InlineData(5000, "9000")]
    public void TheTiltPeriodIsDownAfterPlusTwoHelloPeriods(int downAfter, string expected)
    {
        var plan = TestPlans.Of(configure: spec => spec.Sentinel = new SentinelSpec { DownAfterMilliseconds = downAfter });

        Assert.Equal(expected, plan.SentinelTimers.Single(t => t.Key == Planner.TiltPeriod).Value);
        Assert.Equal(["PING-PERIOD", "ASK-PERIOD", "INFO-PERIOD", "PUBLISH-PERIOD", "TILT-PERIOD"], plan.SentinelTimers.Select(t => t.Key));
    }
}
