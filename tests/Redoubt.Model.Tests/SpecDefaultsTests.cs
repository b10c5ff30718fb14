namespace Redoubt.Model.Tests;

public class SpecDefaultsTests
{
    private static EffectiveSpec Example => SpecDefaults.Resolve(TestYaml.LoadOne(TestYaml.Example).Spec);

    [Fact]
    public void TheReferenceExampleResolvesToEveryDefault()
    {
        var spec = Example;

        Assert.Equal(2, spec.Replicas);
        Assert.Equal("1Gi", spec.Size);
        Assert.Equal(1_073_741_824L, spec.SizeBytes);
        Assert.Equal("", spec.StorageClass);
        Assert.Equal("t1.nano", spec.ResourcesPreset);
        Assert.Equal(new ComputeResources(250, 134_217_728, "250m", "128Mi"), spec.Resources);
        Assert.False(spec.External);
        Assert.Null(spec.Version);
        Assert.True(spec.AuthEnabled);
        Assert.Equal(PersistenceMode.Rdb, spec.Persistence);
        Assert.Equal(107_374_182L, spec.MaxmemoryBytes);
        Assert.Equal("noeviction", spec.MaxmemoryPolicy);
        Assert.Equal(0, spec.MinReplicasToWrite);
        Assert.Equal(10, spec.MinReplicasMaxLag);
        Assert.False(spec.TlsEnabled);
        Assert.Equal(3, spec.Sentinel.Replicas);
        Assert.Equal(2, spec.Sentinel.Quorum);
        Assert.Equal(1000, spec.Sentinel.DownAfterMilliseconds);
        Assert.Equal(3000, spec.Sentinel.FailoverTimeout);
        Assert.Equal(new ComputeResources(250, 134_217_728, "250m", "128Mi"), spec.Sentinel.Resources);
        Assert.Equal(["gland", "lucerne", "geneve"], spec.Zones);
    }

    [Fact]
    public void ReplicasDefaultToTwo()
    {
        Assert.Equal(2, Example.Replicas);
    }

    [Fact]
    public void MaxmemoryDefaultsToEightyPercentOfTheMemoryLimit()
    {
        Assert.Equal(134_217_728L * 8 / 10, Example.MaxmemoryBytes);
        Assert.Equal(3_435_973_836L, TestYaml.Resolve("resources: {memory: 4Gi}").MaxmemoryBytes);
    }

    [Fact]
    public void AnExplicitMaxmemoryIsKept()
    {
        Assert.Equal(67_108_864L, TestYaml.Resolve("maxmemory: 64Mi").MaxmemoryBytes);
    }

    [Fact]
    public void MissingResourceKeysComeFromThePreset()
    {
        var spec = TestYaml.Resolve("resourcesPreset: u1.large\nresources: {cpu: 500m}");

        Assert.Equal(new ComputeResources(500, 17_179_869_184, "500m", "16Gi"), spec.Resources);
        Assert.Equal("u1.large", spec.ResourcesPreset);
    }

    [Fact]
    public void ExplicitResourcesKeepTheTextAsWritten()
    {
        var spec = TestYaml.Resolve("resources: {cpu: 0.5, memory: 1.5Gi}");

        Assert.Equal(new ComputeResources(500, 1_610_612_736, "0.5", "1.5Gi"), spec.Resources);
    }

    [Fact]
    public void SentinelsGetTheNodeSizeUnlessToldOtherwise()
    {
        Assert.Equal(
            new ComputeResources(2000, 2_147_483_648, "2", "2Gi"),
            TestYaml.Resolve("resourcesPreset: large").Sentinel.Resources);
        Assert.Equal(
            new ComputeResources(100, 2_147_483_648, "100m", "2Gi"),
            TestYaml.Resolve("resourcesPreset: large\nsentinel: {resources: {cpu: 100m}}").Sentinel.Resources);
        Assert.Equal(
            new ComputeResources(2000, 67_108_864, "2", "64Mi"),
            TestYaml.Resolve("resourcesPreset: large\nsentinel: {resources: {memory: 64Mi}}").Sentinel.Resources);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(7, 4)]
    public void QuorumDefaultsToAMajorityOfTheSentinels(int sentinels, int quorum)
    {
        Assert.Equal(quorum, TestYaml.Resolve($"sentinel: {{replicas: {sentinels}}}").Sentinel.Quorum);
    }

    [Fact]
    public void AnEmptySizeMeansNoPersistence()
    {
        var spec = TestYaml.Resolve("size: \"\"");

        Assert.Null(spec.SizeBytes);
        Assert.Equal("", spec.Size);
        Assert.Equal(PersistenceMode.None, spec.Persistence);
    }

    [Theory]
    [InlineData("", PersistenceMode.Rdb, PersistenceMode.Aof)]
    [InlineData("size: \"\"", PersistenceMode.None, PersistenceMode.None)]
    [InlineData("persistenceMode: rdb", PersistenceMode.Rdb, PersistenceMode.Rdb)]
    [InlineData("persistenceMode: none", PersistenceMode.None, PersistenceMode.None)]
    [InlineData("persistenceMode: both", PersistenceMode.Both, PersistenceMode.Both)]
    public void OnlyTheDefaultPersistenceDependsOnThePlatform(string spec, PersistenceMode reference, PersistenceMode local)
    {
        var parsed = TestYaml.LoadOne(TestYaml.WithSpec(spec)).Spec;

        Assert.Equal(reference, SpecDefaults.Resolve(parsed).Persistence);
        Assert.Equal(reference, SpecDefaults.Resolve(parsed, PlatformDefaults.Reference).Persistence);
        Assert.Equal(local, SpecDefaults.Resolve(parsed, PlatformDefaults.Local).Persistence);
    }

    [Theory]
    [InlineData("rdb", PersistenceMode.Rdb)]
    [InlineData("aof", PersistenceMode.Aof)]
    [InlineData("both", PersistenceMode.Both)]
    [InlineData("none", PersistenceMode.None)]
    public void AnExplicitPersistenceModeIsKept(string mode, PersistenceMode expected)
    {
        Assert.Equal(expected, TestYaml.Resolve($"persistenceMode: {mode}").Persistence);
    }

    [Fact]
    public void EveryExplicitValueWins()
    {
        var spec = TestYaml.Resolve("""
            replicas: 3
            size: 10Gi
            storageClass: fast.ssd
            external: true
            version: v7
            authEnabled: false
            maxmemoryPolicy: allkeys-lru
            minReplicasToWrite: 1
            minReplicasMaxLag: 5
            tls: {enabled: true}
            sentinel: {replicas: 5, quorum: 4, downAfterMilliseconds: 500, failoverTimeout: 10000}
            zones: [a, b]
            """);

        Assert.Equal(3, spec.Replicas);
        Assert.Equal(10_737_418_240L, spec.SizeBytes);
        Assert.Equal("fast.ssd", spec.StorageClass);
        Assert.True(spec.External);
        Assert.Equal("v7", spec.Version);
        Assert.False(spec.AuthEnabled);
        Assert.Equal("allkeys-lru", spec.MaxmemoryPolicy);
        Assert.Equal(1, spec.MinReplicasToWrite);
        Assert.Equal(5, spec.MinReplicasMaxLag);
        Assert.True(spec.TlsEnabled);
        Assert.Equal(5, spec.Sentinel.Replicas);
        Assert.Equal(4, spec.Sentinel.Quorum);
        Assert.Equal(500, spec.Sentinel.DownAfterMilliseconds);
        Assert.Equal(10_000, spec.Sentinel.FailoverTimeout);
        Assert.Equal(["a", "b"], spec.Zones);
    }

    [Fact]
    public void NullMeansNotSet()
    {
        var spec = TestYaml.Resolve("replicas: ~\nsize:\nsentinel: {quorum: null}\nzones: ~");

        Assert.Equal(2, spec.Replicas);
        Assert.Equal("1Gi", spec.Size);
        Assert.Equal(2, spec.Sentinel.Quorum);
        Assert.Equal(SpecDefaults.DefaultZones, spec.Zones);
    }

    [Fact]
    public void TheDefaultZonesAreTheThreeSites()
    {
        Assert.Equal(["gland", "lucerne", "geneve"], SpecDefaults.DefaultZones);
        Assert.Equal("mymaster", SpecDefaults.MasterName);
    }

    [Fact]
    public void ResolvingAnUnvalidatedSpecWithAnUnknownPresetThrows()
    {
        var error = Assert.Throws<ArgumentException>(() => SpecDefaults.Resolve(new RedisSpec { ResourcesPreset = "huge" }));
        Assert.Contains("\"huge\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvingDoesNotShareTheCallersZoneList()
    {
        var zones = new List<string> { "a" };
        var spec = SpecDefaults.Resolve(new RedisSpec { Zones = zones });
        zones.Add("b");

        Assert.Equal(["a"], spec.Zones);
    }
}
