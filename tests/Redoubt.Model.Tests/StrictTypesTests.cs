namespace Redoubt.Model.Tests;

/// <summary>Values of the wrong YAML type are errors, never coerced.</summary>
public class StrictTypesTests
{
    public static TheoryData<string, string, string> WrongTypes => new()
    {
        { "replicas: abc", "spec.replicas", "must be an integer from 1 to 32, got \"abc\"" },
        { "replicas: \"3\"", "spec.replicas", "must be an integer from 1 to 32, got the string \"3\" (remove the quotes)" },
        { "replicas: '3'", "spec.replicas", "must be an integer from 1 to 32, got the string \"3\" (remove the quotes)" },
        { "replicas: 2.5", "spec.replicas", "must be an integer from 1 to 32, got 2.5" },
        { "replicas: 3.0", "spec.replicas", "must be an integer from 1 to 32, got 3.0" },
        { "replicas: 0x10", "spec.replicas", "must be an integer from 1 to 32, got 0x10" },
        { "replicas: 99999999999", "spec.replicas", "must be an integer from 1 to 32, got 99999999999" },
        { "replicas: true", "spec.replicas", "must be an integer from 1 to 32, got true" },
        { "replicas: [3]", "spec.replicas", "must be an integer from 1 to 32, got a list" },
        { "replicas: {count: 3}", "spec.replicas", "must be an integer from 1 to 32, got a mapping" },
        { "authEnabled: yes-please", "spec.authEnabled", "must be true or false, got \"yes-please\"" },
        { "authEnabled: yes", "spec.authEnabled", "must be true or false, got \"yes\"" },
        { "authEnabled: on", "spec.authEnabled", "must be true or false, got \"on\"" },
        { "authEnabled: 1", "spec.authEnabled", "must be true or false, got 1" },
        { "external: \"false\"", "spec.external", "must be true or false, got the string \"false\" (remove the quotes)" },
        { "tls: {enabled: \"true\"}", "spec.tls.enabled", "must be true or false, got the string \"true\" (remove the quotes)" },
        { "tls: true", "spec.tls", "must be a mapping of enabled, got true" },
        { "sentinel: 3", "spec.sentinel", "must be a mapping of replicas, quorum, downAfterMilliseconds, failoverTimeout, resources, got 3" },
        { "sentinel: {quorum: two}", "spec.sentinel.quorum", "must be an integer from 1 to spec.sentinel.replicas, got \"two\"" },
        { "sentinel: {downAfterMilliseconds: 1s}", "spec.sentinel.downAfterMilliseconds", "must be an integer from 300 to 600000, got \"1s\"" },
        { "minReplicasToWrite: one", "spec.minReplicasToWrite", "must be an integer from 0 to spec.replicas - 1, got \"one\"" },
        { "resources: 1Gi", "spec.resources", "must be a mapping of cpu, memory, got \"1Gi\"" },
        { "resources: {cpu: true}", "spec.resources.cpu", "must be a CPU quantity greater than 0 such as 500m or 2, got true" },
        { "size: true", "spec.size", "must be a quantity greater than 0 such as 1Gi, or \"\" for no persistence, got true" },
        { "size: [1Gi]", "spec.size", "must be a quantity greater than 0 such as 1Gi, or \"\" for no persistence, got a list" },
        { "version: 8", "spec.version", "must be one of v8, v7, got 8" },
        { "maxmemoryPolicy: false", "spec.maxmemoryPolicy", "must be one of noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl, got false" },
        { "zones: gland", "spec.zones", "must be a list of 1 to 9 zone names, got \"gland\"" },
        {
            "zones: [gland, 1]", "spec.zones[1]",
            "must be a DNS-1123 label of at most 63 characters: lowercase letters, digits and '-', starting and ending with a letter or digit, got 1"
        },
        {
            "zones: [gland, ~]", "spec.zones[1]",
            "must be a DNS-1123 label of at most 63 characters: lowercase letters, digits and '-', starting and ending with a letter or digit, got null"
        },
        {
            "zones: [gland, [a]]", "spec.zones[1]",
            "must be a DNS-1123 label of at most 63 characters: lowercase letters, digits and '-', starting and ending with a letter or digit, got a list"
        },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void WrongTypesAreErrorsThatSayWhatIsExpected(string spec, string path, string message)
    {
        var error = TestYaml.SpecError(spec);

        Assert.Equal((path, message), (error.Path, error.Message));
        Assert.Equal(TestYaml.FirstSpecLine, error.Line);
    }

    [Theory]
    [InlineData("resources: {cpu: 2, memory: 1Gi}", "2", "1Gi")]
    [InlineData("resources: {cpu: 0.5}", "0.5", null)]
    [InlineData("resources: {cpu: \"250m\", memory: '512Mi'}", "250m", "512Mi")]
    [InlineData("resources: {cpu: 1e0, memory: 1073741824}", "1e0", "1073741824")]
    public void QuantitiesMayBeStringsOrNumbers(string spec, string cpu, string? memory)
    {
        var resources = TestYaml.LoadOne(TestYaml.WithSpec(spec)).Spec.Resources;

        Assert.Equal(cpu, resources?.Cpu);
        Assert.Equal(memory, resources?.Memory);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("True", true)]
    [InlineData("FALSE", false)]
    public void BooleansAreTheYaml12Spellings(string text, bool expected)
    {
        Assert.Equal(expected, TestYaml.LoadOne(TestYaml.WithSpec($"external: {text}")).Spec.External);
    }

    [Fact]
    public void AnExplicitStringTagMakesAString()
    {
        Assert.Equal("v8", TestYaml.LoadOne(TestYaml.WithSpec("version: !!str v8")).Spec.Version);
        Assert.Equal("spec.storageClass", TestYaml.SpecError("storageClass: 123").Path);
        Assert.Equal("123", TestYaml.LoadOne(TestYaml.WithSpec("storageClass: !!str 123")).Spec.StorageClass);
    }

    [Fact]
    public void ASpecThatIsNotAMappingIsAnError()
    {
        var error = TestYaml.Error("apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata: {name: a}\nspec: [replicas]\n");

        Assert.Equal(("spec", 4), (error.Path, error.Line));
        Assert.StartsWith("must be a mapping of replicas, size, storageClass, resources,", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(", got a list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANullSpecTakesEveryDefault()
    {
        var resource = TestYaml.LoadOne("apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata: {name: a}\nspec: ~\n");

        Assert.Equal(2, SpecDefaults.Resolve(resource.Spec).Replicas);
    }

    [Fact]
    public void ADocumentThatIsNotAMappingIsAnError()
    {
        var error = TestYaml.Error("- apiVersion: apps.cozystack.io/v1alpha1\n");

        Assert.Equal(("", 1), (error.Path, error.Line));
        Assert.Equal("the document must be a Redis resource, a mapping of apiVersion, kind, metadata, spec, status; got a list", error.Message);
    }
}
