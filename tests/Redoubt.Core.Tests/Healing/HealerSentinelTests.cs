using Redoubt.Core.Healing;
using Redoubt.Core.Planning;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.ObservedNodes;
using static Redoubt.Core.Tests.Fixtures.ObservedSentinels;

namespace Redoubt.Core.Tests.Healing;

/// <summary>Sentinels must watch the live master, under our name only, with the spec's settings and no stale peers.</summary>
public sealed class HealerSentinelTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    [Fact]
    public void SentinelsNotMonitoringArePointedAtTheMasterWithoutReplacingAnything()
    {
        var observation = ObservedClusters.Healthy(Plan).With(NotMonitoring(1), NotMonitoring(2));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        var monitor = Assert.IsType<MonitorMaster>(Assert.Single(decision.Actions));
        Assert.Equal("monitor 127.0.0.1:7000 by sentinel-1 127.0.0.1:26001, sentinel-2 127.0.0.1:26002", Steps.Of(monitor));
        Assert.Equal("not monitoring the master yet", monitor.Reason);
        Assert.False(monitor.Disruptive);
    }

    [Fact]
    public void MonitoringWaitsForAPassThatAttachesNoReplica()
    {
        // Sentinel learns replicas from the master's INFO at once when it starts monitoring, later only every 10 s.
        var observation = ObservedClusters.Healthy(Plan)
            .With(Parked(1), Parked(2))
            .With(NotMonitoring(0), NotMonitoring(1), NotMonitoring(2));

        var first = Healer.Decide(Plan, observation, HealContexts.At());
        var next = Healer.Decide(Plan, observation.With(Replica(1, of: 0), Replica(2, of: 0)), HealContexts.At());

        Assert.Equal(
            [
                "attach redis-1 127.0.0.1:7001 to 127.0.0.1:7000",
                "attach redis-2 127.0.0.1:7002 to 127.0.0.1:7000",
            ],
            Steps.Of(first.Actions));
        Assert.Equal(
            ["monitor 127.0.0.1:7000 by sentinel-0 127.0.0.1:26000, sentinel-1 127.0.0.1:26001, sentinel-2 127.0.0.1:26002"],
            Steps.Of(next.Actions));
    }

    [Fact]
    public void ASentinelMajorityNamingANodeThatIsNotTheLiveMasterIsReplaced()
    {
        var observation = ObservedClusters.Healthy(Plan)
            .With(Watching(Plan, 0, master: 1), Watching(Plan, 1, master: 1), NotMonitoring(2));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        var monitor = Assert.IsType<MonitorMaster>(Assert.Single(decision.Actions));
        Assert.Equal("monitor 127.0.0.1:7000 by sentinel-0 127.0.0.1:26000 replacing, sentinel-1 127.0.0.1:26001 replacing, sentinel-2 127.0.0.1:26002", Steps.Of(monitor));
        Assert.Equal("the Sentinels name 127.0.0.1:7001, but redis-0 is the master", monitor.Reason);
        Assert.True(monitor.Disruptive);
    }

    [Fact]
    public void SentinelsThatDisagreeWithoutAMajorityAreReplaced()
    {
        var observation = ObservedClusters.Healthy(Plan)
            .With(Watching(Plan, 1, master: 1), Watching(Plan, 2, master: 2));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal(
            ["monitor 127.0.0.1:7000 by sentinel-1 127.0.0.1:26001 replacing, sentinel-2 127.0.0.1:26002 replacing"],
            Steps.Of(decision.Actions));
        Assert.Equal("the Sentinels name no common master, but redis-0 is the master", decision.Actions[0].Reason);
    }

    [Fact]
    public void ReplacingSentinelsIsNotDeferredByAttachingReplicas()
    {
        var observation = ObservedClusters.Healthy(Plan)
            .With(Parked(2))
            .With(Watching(Plan, 0, master: 1), Watching(Plan, 1, master: 1), Watching(Plan, 2, master: 1));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal(
            [
                "monitor 127.0.0.1:7000 by sentinel-0 127.0.0.1:26000 replacing, sentinel-1 127.0.0.1:26001 replacing, sentinel-2 127.0.0.1:26002 replacing",
                "attach redis-2 127.0.0.1:7002 to 127.0.0.1:7000",
            ],
            Steps.Of(decision.ActionsForThisPass()));
    }

    [Fact]
    public void ALoneLaggingSentinelIsNotReplacedWhileTheMajorityAgrees()
    {
        // It learns the master from its peers' hellos; a REMOVE would only make it forget its epoch.
        var observation = ObservedClusters.Healthy(Plan).With(Watching(Plan, 2, master: 1));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal("redis-0", decision.Master?.Name);
        Assert.Empty(decision.Actions);
    }

    [Fact]
    public void UnreachableSentinelsAreNotTargeted()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Down(1), Down(2));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Empty(decision.Actions);
    }

    [Fact]
    public void ForeignMasterNamesAreRemoved()
    {
        var observation = ObservedClusters.Healthy(Plan)
            .With(Watching(Plan, 1, master: 0) with { ForeignMasters = ["default/other", "cache"] });

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal(
            [
                "remove default/other from sentinel-1 127.0.0.1:26001",
                "remove cache from sentinel-1 127.0.0.1:26001",
            ],
            Steps.Of(decision.Actions));
        Assert.All(decision.Actions, a => Assert.False(a.Disruptive));
        Assert.Equal("monitors a master that is not this resource's", decision.Actions[0].Reason);
    }

    public static TheoryData<string, string, string> SentinelDrift => new()
    {
        // setting, what the Sentinel has, what the default spec says
        { "down-after-milliseconds", "30000", "1000" },
        { "failover-timeout", "180000", "3000" },
        { "parallel-syncs", "3", "1" },
        { "quorum", "1", "2" },
    };

    [Theory]
    [MemberData(nameof(SentinelDrift))]
    public void ASentinelSettingThatDriftedIsSetBack(string key, string current, string wanted)
    {
        var observation = ObservedClusters.Healthy(Plan).With(Watching(Plan, 2, master: 0).WithSetting(key, current));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        var set = Assert.IsType<SetSentinelOption>(Assert.Single(decision.Actions));
        Assert.Equal($"sentinel set sentinel-2 127.0.0.1:26002 {key}={wanted}", Steps.Of(set));
        Assert.Equal($"{key} is {current}, the spec says {wanted}", set.Reason);
        Assert.False(set.Disruptive);
    }

    [Fact]
    public void SentinelSettingsFollowTheSpecNotTheDefaults()
    {
        var plan = TestPlans.Of(replicas: 3, s => s.Sentinel = new Model.SentinelSpec { Replicas = 5, Quorum = 4, DownAfterMilliseconds = 2500, FailoverTimeout = 9000 });
        var observation = ObservedClusters.Healthy(TestPlans.Of(replicas: 3, s => s.Sentinel = new Model.SentinelSpec { Replicas = 5 }));

        var decision = Healer.Decide(plan, observation, HealContexts.At());

        Assert.Equal(
            [.. Enumerable.Range(0, 5).SelectMany(i => new[]
            {
                $"sentinel set sentinel-{i} 127.0.0.1:2600{i} down-after-milliseconds=2500",
                $"sentinel set sentinel-{i} 127.0.0.1:2600{i} failover-timeout=9000",
                $"sentinel set sentinel-{i} 127.0.0.1:2600{i} quorum=4",
            })],
            Steps.Of(decision.Actions));
    }

    [Fact]
    public void ASettingTheSentinelDoesNotReportIsLeftAlone()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Watching(Plan, 0, master: 0).WithoutSetting("parallel-syncs"));

        Assert.Empty(Healer.Decide(Plan, observation, HealContexts.At()).Actions);
    }

    [Fact]
    public void SettingsOfASentinelWatchingAnotherNodeWaitUntilItWatchesTheMaster()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Watching(Plan, 2, master: 1).WithSetting("quorum", "1"));

        Assert.Empty(Healer.Decide(Plan, observation, HealContexts.At()).Actions);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 3)]
    [InlineData(5, 9)]
    public void ASentinelKnowingMorePeersThanExistIsReset(int sentinels, int replicas)
    {
        var observation = ObservedClusters.Healthy(Plan).With(Watching(Plan, 1, master: 0).Knowing(sentinels, replicas));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        var reset = Assert.IsType<ResetSentinel>(Assert.Single(decision.Actions));
        Assert.Equal("reset sentinel-1 127.0.0.1:26001", Steps.Of(reset));
        Assert.Equal($"knows {sentinels} Sentinels and {replicas} replicas, more than exist", reset.Reason);
        Assert.True(reset.Disruptive);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(0, 0)]
    [InlineData(1, 2)]
    public void ASentinelKnowingAtMostThePeersThatExistIsNotReset(int sentinels, int replicas)
    {
        var observation = ObservedClusters.Healthy(Plan).With(Watching(Plan, 1, master: 0).Knowing(sentinels, replicas));

        Assert.Empty(Healer.Decide(Plan, observation, HealContexts.At()).Actions);
    }

    [Fact]
    public void OnlyOneSentinelIsResetPerPass()
    {
        var observation = ObservedClusters.Healthy(Plan)
            .With(Watching(Plan, 0, master: 0).Knowing(3, 2), Watching(Plan, 1, master: 0).Knowing(2, 4), Watching(Plan, 2, master: 0).Knowing(6, 6));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal(["reset sentinel-0 127.0.0.1:26000"], Steps.Of(decision.Actions));
    }
}
