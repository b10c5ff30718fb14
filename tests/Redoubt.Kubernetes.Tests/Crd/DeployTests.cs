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
    public void TheDashboardTokenComesFromAnOptionalSecretMountedWhereTheOperatorIsToldToReadIt()
    {
        var deployment = YamlDocuments.Read(File.ReadAllText(Deploy("operator.yaml"))).First(d => d!["kind"]!.GetValue<string>() == "Deployment")!;
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var args = container["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        var file = args[args.IndexOf(OperatorDashboardToken.Option) + 1];
        var volume = pod["volumes"]!.AsArray().Single(v => v!["secret"]?["secretName"]?.GetValue<string>() == OperatorDashboardToken.DeployedSecret)!;
        var mount = container["volumeMounts"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == volume["name"]!.GetValue<string>())!;

        Assert.True(volume["secret"]!["optional"]!.GetValue<bool>(), "without the Secret the pod must still start, serving metrics only");
        Assert.Equal($"{mount["mountPath"]!.GetValue<string>()}/token", file);
        Assert.True(mount["readOnly"]!.GetValue<bool>());
        // Readable by the operator's group only (0440), and the pod's files belong to that group.
        Assert.Equal(Convert.ToInt64("440", 8), volume["secret"]!["defaultMode"]!.GetValue<long>());
        Assert.Equal(pod["securityContext"]!["runAsGroup"]!.GetValue<long>(), pod["securityContext"]!["fsGroup"]!.GetValue<long>());
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
