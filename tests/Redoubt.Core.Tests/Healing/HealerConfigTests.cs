using Redoubt.Core.Healing;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.ObservedNodes;

namespace Redoubt.Core.Tests.Healing;

/// <summary>Run-time Redis settings that differ from the spec are set back with CONFIG SET, one action per key and node.</summary>
public sealed class HealerConfigTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    public static TheoryData<string, string, string> Drift => new()
    {
        // key, what the node has, what the default spec says (t1.nano: 80% of 128Mi, RDB persistence)
        { "maxmemory", "0", "107374182" },
        { "maxmemory-policy", "allkeys-lru", "noeviction" },
        { "appendonly", "yes", "no" },
        { "save", "", "3600 1 300 100 60 10000" },
        { "min-replicas-to-write", "1", "0" },
        { "min-replicas-max-lag", "30", "10" },
    };

    [Theory]
    [MemberData(nameof(Drift))]
    public void ARedisSettingThatDriftedIsSetBack(string key, string current, string wanted)
    {
        var observation = ObservedClusters.Healthy(Plan).With(Replica(1, of: 0).ConfiguredAs(Plan).WithConfig(key, current));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        var set = Assert.IsType<SetConfig>(Assert.Single(decision.Actions));
        Assert.Equal($"config set redis-1 127.0.0.1:7001 {key}={wanted}", Steps.Of(set));
        Assert.Equal($"{key} is \"{current}\", the spec says \"{wanted}\"", set.Reason);
        Assert.False(set.Disruptive);
    }

    [Fact]
    public void EachDifferingKeyOnEachNodeGetsItsOwnAction()
    {
        var observation = ObservedClusters.Healthy(Plan).With(
            Master(0).Serving(1, 2).ConfiguredAs(Plan).WithConfig("maxmemory-policy", "allkeys-lfu").WithConfig("maxmemory", "1"),
            Replica(2, of: 0).ConfiguredAs(Plan).WithConfig("appendonly", "yes"));

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal(
            [
                "config set redis-0 127.0.0.1:7000 maxmemory=107374182",
                "config set redis-0 127.0.0.1:7000 maxmemory-policy=noeviction",
                "config set redis-2 127.0.0.1:7002 appendonly=no",
            ],
            Steps.Of(decision.ActionsForThisPass()));
    }

    [Fact]
    public void SettingsEqualToTheSpecNeedNothing()
    {
        var plan = TestPlans.Of(replicas: 3, s =>
        {
            s.PersistenceMode = "aof";
            s.Maxmemory = "64Mi";
            s.MaxmemoryPolicy = "allkeys-lru";
            s.MinReplicasToWrite = 1;
            s.MinReplicasMaxLag = 5;
        });

        var decision = Healer.Decide(plan, ObservedClusters.Healthy(plan), HealContexts.At());

        Assert.Equal(6, decision.Master!.Config.Count);
        Assert.Equal("67108864", decision.Master.Config["maxmemory"]);
        Assert.Empty(decision.Actions);
    }

    [Fact]
    public void TheSameNodeAgainstAChangedSpecGetsEveryChangedKey()
    {
        var plan = TestPlans.Of(replicas: 3, s => s.PersistenceMode = "both");

        var decision = Healer.Decide(plan, ObservedClusters.Healthy(Plan), HealContexts.At());

        Assert.Equal(
            [
                "config set redis-0 127.0.0.1:7000 appendonly=yes",
                "config set redis-1 127.0.0.1:7001 appendonly=yes",
                "config set redis-2 127.0.0.1:7002 appendonly=yes",
            ],
            Steps.Of(decision.Actions));
    }

    [Fact]
    public void AKeyTheNodeDidNotReportIsLeftAlone()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Replica(1, of: 0) with { Config = new Dictionary<string, string> { ["maxmemory"] = "0" } });

        var decision = Healer.Decide(Plan, observation, HealContexts.At());

        Assert.Equal(["config set redis-1 127.0.0.1:7001 maxmemory=107374182"], Steps.Of(decision.Actions));
    }

    [Fact]
    public void ANodeThatDoesNotAnswerGetsNoSettings()
    {
        var observation = ObservedClusters.Healthy(Plan).With(Silent(2, NodeLifecycle.Running).ConfiguredAs(Plan).WithConfig("maxmemory", "0"));

        Assert.Empty(Healer.Decide(Plan, observation, HealContexts.At()).Actions);
    }

    [Fact]
    public void AFailedSnapshotIsTriedAgainEveryFewSecondsButNotWhileOneRuns()
    {
        var failed = Replica(1, of: 0).ConfiguredAs(Plan) with { SnapshotFailed = true, PersistenceFailure = "its last snapshot (BGSAVE) failed" };
        var observation = ObservedClusters.Healthy(Plan).With(failed);
        var now = HealContexts.At();

        var retry = Assert.IsType<RetrySnapshot>(Assert.Single(Healer.Decide(Plan, observation, now).Actions));
        Assert.Equal(("redis-1", "127.0.0.1:7001", "its last snapshot (BGSAVE) failed"), (retry.Node, retry.Address, retry.Reason));
        Assert.False(retry.Disruptive);

        var justTried = now with { SnapshotRetried = new Dictionary<string, DateTimeOffset> { ["redis-1"] = now.Now.AddSeconds(-4) } };
        Assert.Empty(Healer.Decide(Plan, observation, justTried).Actions);
        var tried = now with { SnapshotRetried = new Dictionary<string, DateTimeOffset> { ["redis-1"] = now.Now - Healer.SnapshotRetryPeriod } };
        Assert.Single(Healer.Decide(Plan, observation, tried).Actions);
        Assert.Empty(Healer.Decide(Plan, ObservedClusters.Healthy(Plan).With(failed with { SnapshotInProgress = true }), now).Actions);
    }
}
