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
        Assert.Equal(["Replicas", "Phase", "Master", "Age", "Last Backup"], version.AdditionalPrinterColumns.Select(c => c.Name));
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
    [MemberData(nameof(InvalidSpecs.All), MemberType = typeof(InvalidSpecs))]
    public void SchemaRejectsInvalidSpecs(string spec, string path)
    {
        var document = YamlDocuments.Read(InvalidSpecs.Document("bad", spec))[0];
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
