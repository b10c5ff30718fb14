using System.Text.Json.Nodes;
using k8s.Models;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Crd;

namespace Redoubt.Kubernetes.Tests.Crd;

public sealed class CrdTests
{
    private static readonly V1JSONSchemaProps Schema = CrdGenerator.Generate().Spec.Versions[0].Schema.OpenAPIV3Schema;

    public static TheoryData<string> Examples() => [.. TestPaths.ExampleFiles()];

    [Fact]
    public void CommittedCrdMatchesTheModel()
    {
        var generated = CrdGenerator.ToYaml();
        if (TestPaths.UpdateGolden)
        {
            File.WriteAllText(TestPaths.Crd, generated);
        }

        Assert.True(File.Exists(TestPaths.Crd), "deploy/crd.yaml is missing; run REDOUBT_UPDATE_GOLDEN=1 dotnet test tests/Redoubt.Kubernetes.Tests");
        Assert.True(generated == File.ReadAllText(TestPaths.Crd),
            "deploy/crd.yaml differs from the CRD generated from the model; regenerate it with REDOUBT_UPDATE_GOLDEN=1 dotnet test tests/Redoubt.Kubernetes.Tests and review the diff");
    }

    [Fact]
    public void CrdIsNamedAndServedAsTheReferencePlatformExpects()
    {
        var crd = CrdGenerator.Generate();
        Assert.Equal("redises.apps.cozystack.io", crd.Metadata.Name);
        Assert.Equal("Redis", crd.Spec.Names.Kind);
        Assert.Equal("redises", crd.Spec.Names.Plural);
        var version = Assert.Single(crd.Spec.Versions);
        Assert.Equal("v1alpha1", version.Name);
        Assert.NotNull(version.Subresources.Status);
        Assert.Equal(["Replicas", "Phase", "Master", "Age"], version.AdditionalPrinterColumns.Select(c => c.Name));
    }

    [Fact]
    public void EverySpecFieldOfTheModelIsInTheSchemaWithADescription()
    {
        var spec = Schema.Properties["spec"];
        foreach (var property in typeof(RedisSpec).GetProperties())
        {
            var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            Assert.True(spec.Properties.ContainsKey(name), $"spec.{name} is in the model but not in the CRD");
            Assert.False(string.IsNullOrEmpty(spec.Properties[name].Description), $"spec.{name} has no description in SpecRules");
        }
    }

    [Fact]
    public void DefaultsAreTheKubernetesOnes()
    {
        var spec = Schema.Properties["spec"].Properties;
        Assert.Equal(2, spec["replicas"].DefaultProperty);
        Assert.Equal("1Gi", spec["size"].DefaultProperty);
        Assert.Equal("t1.nano", spec["resourcesPreset"].DefaultProperty);
        Assert.Equal("v8", spec["version"].DefaultProperty);
        Assert.Equal(true, spec["authEnabled"].DefaultProperty);
        Assert.Equal(1000, spec["sentinel"].Properties["downAfterMilliseconds"].DefaultProperty);
        Assert.Equal(3000, spec["sentinel"].Properties["failoverTimeout"].DefaultProperty);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void SchemaAcceptsEveryExample(string file)
    {
        var documents = YamlDocuments.Read(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, file)));
        Assert.NotEmpty(documents);
        foreach (var document in documents)
        {
            Assert.Empty(SchemaValidator.Validate(document, Schema));
        }
    }

    [Theory]
    [InlineData("replicas: 0", "spec.replicas")]
    [InlineData("replicas: 33", "spec.replicas")]
    [InlineData("replicas: two", "spec.replicas")]
    [InlineData("version: v6", "spec.version")]
    [InlineData("resourcesPreset: huge", "spec.resourcesPreset")]
    [InlineData("size: lots", "spec.size")]
    [InlineData("storageClass: Not_A_Name", "spec.storageClass")]
    [InlineData("authEnabled: \"yes\"", "spec.authEnabled")]
    [InlineData("maxmemoryPolicy: lru", "spec.maxmemoryPolicy")]
    [InlineData("persistenceMode: sometimes", "spec.persistenceMode")]
    [InlineData("minReplicasMaxLag: 0", "spec.minReplicasMaxLag")]
    [InlineData("sentinel: {replicas: 8}", "spec.sentinel.replicas")]
    [InlineData("sentinel: {downAfterMilliseconds: 200}", "spec.sentinel.downAfterMilliseconds")]
    [InlineData("sentinel: {failoverTimeout: 999}", "spec.sentinel.failoverTimeout")]
    [InlineData("resources: {cpu: fast}", "spec.resources.cpu")]
    [InlineData("zones: [Zone_A]", "spec.zones[0]")]
    [InlineData("tls: {enabled: 1}", "spec.tls.enabled")]
    [InlineData("replicaCount: 3", "spec.replicaCount")]
    [InlineData("sentinel: {quorum: 2, extra: true}", "spec.sentinel.extra")]
    public void SchemaRejectsInvalidSpecs(string spec, string path)
    {
        var document = YamlDocuments.Read($"apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata: {{name: bad}}\nspec:\n  {spec}\n")[0];
        var errors = SchemaValidator.Validate(document, Schema);
        Assert.Contains(errors, e => e.StartsWith(path + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void QuantitiesMayBeNumbersOrStrings()
    {
        var document = JsonNode.Parse("""{"spec":{"resources":{"cpu":2,"memory":"512Mi"},"size":""}}""");
        Assert.Empty(SchemaValidator.Validate(document, Schema));
    }
}
