using Redoubt.Core.Healing;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.ObservedNodes;
using static Redoubt.Core.Tests.Fixtures.ObservedSentinels;

namespace Redoubt.Core.Tests.Healing;

/// <summary>A deposed master that hangs is killed before it can wake up as a second master; nothing else is.</summary>
public sealed class HealerFencingTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    private static HealContext Deposed(int ordinal, int? pid) => HealContexts.At() with { DeposedMaster = TestAddresses.OfRedis(ordinal), DeposedPid = pid };

    private static Core.Observation.ClusterObservation AfterSentinelMovedTo(int master, Core.Observation.RedisNodeObservation old) =>
        ObservedClusters.Healthy(Plan, master).With(old).With(Watching(Plan, 0, master), Watching(Plan, 1, master), Watching(Plan, 2, master));

    [Fact]
    public void AHungDeposedMasterIsFencedFirst()
    {
        var observation = AfterSentinelMovedTo(1, Silent(0) with { Pid = 4242 });

        var decision = Healer.Decide(Plan, observation, Deposed(0, 4242));

        Assert.Equal("fence redis-0 127.0.0.1:7000", Steps.Of(decision.ActionsForThisPass()[0]));
        Assert.True(decision.Actions[0].Disruptive);
    }

    [Fact]
    public void AFreshlyRestartedProcessAtTheDeposedAddressIsNotFenced()
    {
        var observation = AfterSentinelMovedTo(1, Silent(0) with { Pid = 5000 });

        var decision = Healer.Decide(Plan, observation, Deposed(0, 4242));

        Assert.DoesNotContain(decision.Actions, a => a is FenceNode);
    }

    /// <summary>Kubernetes has no pids: a container is known by when it started.</summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(5, false)]
    public void WithoutPidsTheDeposedContainerIsKnownByItsStart(int secondsLater, bool fenced)
    {
        var startedAt = ObservedClusters.T0.AddMinutes(-10);
        var observation = AfterSentinelMovedTo(1, Silent(0) with { Since = startedAt.AddSeconds(secondsLater) });

        var decision = Healer.Decide(Plan, observation, Deposed(0, pid: null) with { DeposedSince = startedAt });

        Assert.Equal(fenced, decision.Actions.Any(a => a is FenceNode { Since: var since } && since == startedAt));
        Assert.Equal(fenced, decision.Actions.Any(a => a is FenceNode));
    }

    [Theory]
    [InlineData(NodeLifecycle.Exited)]
    [InlineData(NodeLifecycle.Starting)]
    public void ADeposedMasterThatIsNotRunningIsLeftToThePlatform(NodeLifecycle lifecycle)
    {
        var observation = AfterSentinelMovedTo(1, Silent(0, lifecycle) with { Pid = 4242 });

        var decision = Healer.Decide(Plan, observation, Deposed(0, 4242));

        Assert.DoesNotContain(decision.Actions, a => a is FenceNode);
    }

    [Fact]
    public void NothingIsFencedWhileTheSentinelsHaveNotMovedOn()
    {
        var observation = ObservedClusters.Healthy(Plan, master: 1).With(Silent(0) with { Pid = 4242 })
            .With(Watching(Plan, 0, master: 0), Watching(Plan, 1, master: 0), Watching(Plan, 2, master: 1));

        var decision = Healer.Decide(Plan, observation, Deposed(0, 4242));

        Assert.DoesNotContain(decision.Actions, a => a is FenceNode);
    }

    [Fact]
    public void ASentinelWithoutAValidReplyFromAnAnsweringMasterGetsItsPasswordAgain()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Watching(Plan, 1, master: 0).WithSetting("last-ok-ping-reply", "4200"));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal(["refresh sentinel-1 127.0.0.1:26001"], Steps.Of(decision.Actions));
        Assert.False(decision.Actions[0].Disruptive);
    }

    [Fact]
    public void ASentinelWithRecentRepliesIsLeftAlone()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Watching(Plan, 1, master: 0).WithSetting("last-ok-ping-reply", "300"));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Empty(decision.Actions);
    }
}
