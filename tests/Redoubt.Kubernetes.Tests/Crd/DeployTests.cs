using Redoubt.Platforms.Kubernetes.Crd;

namespace Redoubt.Kubernetes.Tests.Crd;

public sealed class DeployTests
{
    private static string Deploy(string file) => Path.Combine(TestPaths.RepositoryRoot, "deploy", file);

    [Fact]
    public void SampleIsAcceptedByTheSchema()
    {
        var schema = CrdGenerator.Generate().Spec.Versions[0].Schema.OpenAPIV3Schema;
        var sample = Assert.Single(YamlDocuments.Read(File.ReadAllText(Deploy("sample.yaml"))));
        Assert.Empty(SchemaValidator.Validate(sample, schema));
    }

    [Fact]
    public void KustomizationListsFilesThatExistAndParse()
    {
        var kustomization = YamlDocuments.Read(File.ReadAllText(Deploy("kustomization.yaml")))[0]!;
        var resources = kustomization["resources"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.Contains("crd.yaml", resources);
        Assert.Contains("rbac.yaml", resources);
        Assert.Contains("operator.yaml", resources);
        foreach (var file in resources)
        {
            Assert.NotEmpty(YamlDocuments.Read(File.ReadAllText(Deploy(file))));
        }
    }

    [Fact]
    public void OperatorRunsWithLeaderElectionIdentityFromThePod()
    {
        var deployment = YamlDocuments.Read(File.ReadAllText(Deploy("operator.yaml"))).First(d => d!["kind"]!.GetValue<string>() == "Deployment")!;
        Assert.True(deployment["spec"]!["replicas"]!.GetValue<long>() >= 2);
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var env = container["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("POD_NAME", env);
        Assert.Contains("POD_NAMESPACE", env);
        Assert.True(container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());
    }

    [Fact]
    public void RbacGrantsNoWildcards()
    {
        foreach (var document in YamlDocuments.Read(File.ReadAllText(Deploy("rbac.yaml"))))
        {
            foreach (var rule in document!["rules"]?.AsArray() ?? [])
            {
                Assert.DoesNotContain("*", rule!["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
                Assert.DoesNotContain("*", rule["resources"]!.AsArray().Select(v => v!.GetValue<string>()));
            }
        }
    }
}
