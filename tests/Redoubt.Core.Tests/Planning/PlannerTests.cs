using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Tests.Fixtures;
using Redoubt.Model;

namespace Redoubt.Core.Tests.Planning;

public sealed class PlannerTests
{
    private static IReadOnlyList<string> Zones(IEnumerable<PlannedNode> nodes) => [.. nodes.Select(n => n.Zone)];

    [Fact]
    public void TheMasterAndItsReplicasLandInDifferentZonesWithOneSentinelPerZone()
    {
        var plan = TestPlans.Of(replicas: 3);

        Assert.Equal(
            [
                new PlannedNode(NodeKind.Redis, "redis-0", 0, "gland"),
                new PlannedNode(NodeKind.Redis, "redis-1", 1, "lucerne"),
                new PlannedNode(NodeKind.Redis, "redis-2", 2, "geneve"),
            ],
            plan.RedisNodes);
        Assert.Equal(
            [
                new PlannedNode(NodeKind.Sentinel, "sentinel-0", 0, "gland"),
                new PlannedNode(NodeKind.Sentinel, "sentinel-1", 1, "lucerne"),
                new PlannedNode(NodeKind.Sentinel, "sentinel-2", 2, "geneve"),
            ],
            plan.Sentinels);
    }

    [Fact]
    public void TheDefaultSpecPlansTwoRedisNodesAndThreeSentinels()
    {
        var plan = Planner.Plan(new RedisResource { Metadata = { Name = "example" } });

        Assert.Equal(["redis-0", "redis-1"], plan.RedisNodes.Select(n => n.Name));
        Assert.Equal(["gland", "lucerne"], Zones(plan.RedisNodes));
        Assert.Equal(["sentinel-0", "sentinel-1", "sentinel-2"], plan.Sentinels.Select(n => n.Name));
        Assert.Equal(2, plan.Spec.Sentinel.Quorum);
    }

    [Theory]
    [InlineData(5, new[] { "a", "b" }, new[] { "a", "b", "a", "b", "a" })]
    [InlineData(4, new[] { "a", "b", "c" }, new[] { "a", "b", "c", "a" })]
    [InlineData(3, new[] { "only" }, new[] { "only", "only", "only" })]
    [InlineData(1, new[] { "a", "b", "c" }, new[] { "a" })]
    public void NodesGoRoundRobinOverTheZones(int replicas, string[] zones, string[] expected)
    {
        var plan = TestPlans.Of(replicas, s => s.Zones = [.. zones]);

        Assert.Equal(expected, Zones(plan.RedisNodes));
        Assert.Equal([.. Enumerable.Range(0, replicas)], plan.RedisNodes.Select(n => n.Ordinal));
        Assert.All(plan.RedisNodes, n => Assert.Equal(NodeKind.Redis, n.Kind));
    }

    [Fact]
    public void SentinelsAreSpreadOverTheZonesLikeTheRedisNodes()
    {
        var plan = TestPlans.Of(replicas: 2, s => s.Sentinel = new SentinelSpec { Replicas = 5 });

        Assert.Equal(["gland", "lucerne", "geneve", "gland", "lucerne"], Zones(plan.Sentinels));
        Assert.Equal(["sentinel-0", "sentinel-1", "sentinel-2", "sentinel-3", "sentinel-4"], plan.Sentinels.Select(n => n.Name));
        Assert.All(plan.Sentinels, n => Assert.Equal(NodeKind.Sentinel, n.Kind));
    }

    [Fact]
    public void RedisSettingsComeFromTheDefaultsInAStableOrder()
    {
        var plan = TestPlans.Of(replicas: 3);

        Assert.Equal(
            [
                new Setting("maxmemory", "107374182"),
                new Setting("maxmemory-policy", "noeviction"),
                new Setting("appendonly", "no"),
                new Setting("save", "3600 1 300 100 60 10000"),
                new Setting("min-replicas-to-write", "0"),
                new Setting("min-replicas-max-lag", "10"),
            ],
            plan.RedisSettings);
    }

    [Fact]
    public void RedisSettingsFollowTheSpec()
    {
        var plan = TestPlans.Of(replicas: 3, s =>
        {
            s.Maxmemory = "64Mi";
            s.MaxmemoryPolicy = "allkeys-lru";
            s.MinReplicasToWrite = 1;
            s.MinReplicasMaxLag = 5;
        });

        Assert.Equal(
            [
                new Setting("maxmemory", "67108864"),
                new Setting("maxmemory-policy", "allkeys-lru"),
                new Setting("appendonly", "no"),
                new Setting("save", "3600 1 300 100 60 10000"),
                new Setting("min-replicas-to-write", "1"),
                new Setting("min-replicas-max-lag", "5"),
            ],
            plan.RedisSettings);
    }

    [Fact]
    public void MaxmemoryDefaultsToEightyPercentOfTheMemoryLimit()
    {
        var plan = TestPlans.Of(replicas: 1, s => s.Resources = new ResourceLimits { Memory = "1Gi" });

        Assert.Equal(new Setting("maxmemory", "858993459"), plan.RedisSettings[0]);
    }

    [Theory]
    [InlineData("rdb", "no", "3600 1 300 100 60 10000")]
    [InlineData("aof", "yes", "")]
    [InlineData("both", "yes", "3600 1 300 100 60 10000")]
    [InlineData("none", "no", "")]
    public void ThePersistenceModeDecidesAppendonlyAndSave(string mode, string appendonly, string save)
    {
        var plan = TestPlans.Of(replicas: 2, s => s.PersistenceMode = mode);

        Assert.Equal(appendonly, Single(plan, "appendonly"));
        Assert.Equal(save, Single(plan, "save"));
    }

    [Fact]
    public void APureCacheWithoutStorageNeitherSnapshotsNorAppends()
    {
        var plan = TestPlans.Of(replicas: 2, s => s.Size = "");

        Assert.Equal("no", Single(plan, "appendonly"));
        Assert.Equal("", Single(plan, "save"));
    }

    [Fact]
    public void SentinelSettingsComeFromTheSpec()
    {
        Assert.Equal(
            [
                new Setting("down-after-milliseconds", "1000"),
                new Setting("failover-timeout", "3000"),
                new Setting("parallel-syncs", "1"),
            ],
            TestPlans.Of(replicas: 2).SentinelSettings);
        Assert.Equal(
            [
                new Setting("down-after-milliseconds", "2500"),
                new Setting("failover-timeout", "60000"),
                new Setting("parallel-syncs", "1"),
            ],
            TestPlans.Of(replicas: 2, s => s.Sentinel = new SentinelSpec { DownAfterMilliseconds = 2500, FailoverTimeout = 60000 }).SentinelSettings);
    }

    [Fact]
    public void ThePlanNamesTheResourceItWasMadeFrom()
    {
        var plan = Planner.Plan(new RedisResource { Metadata = { Name = "cache", Namespace = "shop", Generation = 7 }, Spec = new RedisSpec { Replicas = 3 } });

        Assert.Equal("shop", plan.Namespace);
        Assert.Equal("cache", plan.Name);
        Assert.Equal("shop/cache", plan.Key);
        Assert.Equal(7, plan.Generation);
        Assert.Equal("mymaster", plan.MasterName);
        Assert.Equal(3, plan.Spec.Replicas);
    }

    [Fact]
    public void ThePlanCarriesWhatPlatformsNeedOfTheResourceAndNoLaterChangeOfIt()
    {
        var resource = new RedisResource
        {
            Metadata = { Name = "cache", Uid = "3f1c", Labels = { ["team"] = "shop" }, Annotations = { ["redoubt.io/exporter"] = "true" } },
            Spec = new RedisSpec { Zones = ["a", "b"] },
        };
        var plan = Planner.Plan(resource);
        resource.Metadata.Labels["team"] = "other";

        Assert.Equal("3f1c", plan.Uid);
        Assert.Equal("shop", plan.Labels["team"]);
        Assert.Equal("true", plan.Annotations["redoubt.io/exporter"]);
        Assert.Equal(["a", "b"], plan.RequestedZones);
    }

    [Fact]
    public void ZonesLeftToTheDefaultAreNotRequestedOnes()
    {
        var plan = Planner.Plan(new RedisResource { Metadata = { Name = "cache" } });

        Assert.Null(plan.RequestedZones);
        Assert.Null(plan.Uid);
        Assert.Equal(3, plan.Spec.Zones.Count);
    }

    [Fact]
    public void TheSameSpecGivesTheSamePlan()
    {
        var first = TestPlans.Of(replicas: 4, s => s.PersistenceMode = "both");
        var second = TestPlans.Of(replicas: 4, s => s.PersistenceMode = "both");

        Assert.Equal(first.RedisNodes, second.RedisNodes);
        Assert.Equal(first.Sentinels, second.Sentinels);
        Assert.Equal(first.RedisSettings, second.RedisSettings);
        Assert.Equal(first.SentinelSettings, second.SentinelSettings);
        Assert.Equal(first.Spec.Zones, second.Spec.Zones);
    }

    private static string Single(ResourcePlan plan, string key) => Assert.Single(plan.RedisSettings, s => s.Key == key).Value;
}
