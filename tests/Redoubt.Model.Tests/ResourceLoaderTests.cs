namespace Redoubt.Model.Tests;

public class ResourceLoaderTests
{
    [Fact]
    public void TheReferenceExampleLoads()
    {
        var resource = TestYaml.LoadOne(TestYaml.Example);

        Assert.Equal("apps.cozystack.io/v1alpha1", resource.ApiVersion);
        Assert.Equal("Redis", resource.Kind);
        Assert.Equal("example", resource.Metadata.Name);
        Assert.Equal("default", resource.Metadata.Namespace);
        Assert.Equal("default/example", resource.Key);
        Assert.Null(resource.Spec.Replicas);
        Assert.Null(resource.Spec.Size);
        Assert.Null(resource.Spec.Sentinel);
        Assert.Null(resource.Status);
    }

    [Fact]
    public void NamespaceDefaultsToDefault()
    {
        var resource = TestYaml.LoadOne("apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata: {name: cache}\n");

        Assert.Equal("default", resource.Metadata.Namespace);
        Assert.NotNull(resource.Spec);
    }

    [Fact]
    public void SpecValuesAreReadAsWritten()
    {
        var spec = TestYaml.LoadOne(TestYaml.WithSpec("""
            replicas: 3
            size: 2Gi
            resources: {cpu: 1, memory: 512Mi}
            authEnabled: false
            sentinel:
              quorum: 2
              resources: {cpu: 100m}
            zones: [a, b, c]
            """)).Spec;

        Assert.Equal(3, spec.Replicas);
        Assert.Equal("2Gi", spec.Size);
        Assert.Equal("1", spec.Resources?.Cpu);
        Assert.Equal("512Mi", spec.Resources?.Memory);
        Assert.False(spec.AuthEnabled);
        Assert.Equal(2, spec.Sentinel?.Quorum);
        Assert.Null(spec.Sentinel?.Replicas);
        Assert.Equal("100m", spec.Sentinel?.Resources?.Cpu);
        Assert.Equal(["a", "b", "c"], spec.Zones);
    }

    [Fact]
    public void LabelsAndAnnotationsAreRead()
    {
        var metadata = TestYaml.LoadOne("""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: example
              namespace: shop
              labels: {app.kubernetes.io/name: cart, tier: ""}
              annotations: {note: "anything: goes, even\nnewlines"}
            """).Metadata;

        Assert.Equal("shop", metadata.Namespace);
        Assert.Equal(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "cart", ["tier"] = "" }, metadata.Labels);
        Assert.Equal("anything: goes, even\nnewlines", metadata.Annotations["note"]);
    }

    [Fact]
    public void JsonIsAccepted()
    {
        var resource = TestYaml.LoadOne("""
            {"apiVersion": "apps.cozystack.io/v1alpha1", "kind": "Redis",
             "metadata": {"name": "example"},
             "spec": {"replicas": 3, "authEnabled": false, "resources": {"cpu": 0.5}, "zones": ["a"]}}
            """);

        Assert.Equal(3, resource.Spec.Replicas);
        Assert.False(resource.Spec.AuthEnabled);
        Assert.Equal("0.5", resource.Spec.Resources?.Cpu);
        Assert.Equal(["a"], resource.Spec.Zones);
    }

    [Fact]
    public void JsonWithAQuotedNumberIsRejectedLikeYaml()
    {
        var error = TestYaml.Error("""{"apiVersion": "apps.cozystack.io/v1alpha1", "kind": "Redis", "metadata": {"name": "a"}, "spec": {"replicas": "3"}}""");

        Assert.Equal("spec.replicas", error.Path);
        Assert.Equal("must be an integer from 1 to 32, got the string \"3\" (remove the quotes)", error.Message);
    }

    [Fact]
    public void SeveralDocumentsLoadInOrder()
    {
        var result = ResourceLoader.Load("""
            ---
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata: {name: first}
            ---
            ---
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata: {name: second, namespace: other}
            spec: {replicas: 3}
            ---
            """, TestYaml.File);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(["default/first", "other/second"], result.Resources.Select(r => r.Key));
        Assert.Equal(3, result.Resources[1].Spec.Replicas);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n---\n")]
    public void AFileWithoutResourcesIsAnError(string text)
    {
        var error = TestYaml.Error(text);

        Assert.Equal("", error.Path);
        Assert.Equal("redis.yaml", error.File);
        Assert.Contains("no resource found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedYamlIsOneErrorWithTheParsersLine()
    {
        var error = TestYaml.Error("apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: example\nspec:\n  replicas: 3\n   size: 1Gi\n");

        Assert.Equal(("", 7), (error.Path, error.Line));
        Assert.StartsWith("not valid YAML: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnclosedListIsOneErrorAtItsLine()
    {
        var error = TestYaml.Error("apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: example\nspec:\n  zones: [gland\n  size: 1Gi\n");

        Assert.Equal(("", 6), (error.Path, error.Line));
        Assert.Equal("not valid YAML: cannot read past this line; look for an unclosed bracket, brace or quote", error.Message);
    }

    [Fact]
    public void AnchorsAndAliasesAreResolved()
    {
        var spec = TestYaml.LoadOne(TestYaml.WithSpec("resources: &size {cpu: 1, memory: 1Gi}\nsentinel:\n  resources: *size")).Spec;

        Assert.Equal("1Gi", spec.Sentinel?.Resources?.Memory);
    }

    [Theory]
    [InlineData("zones: &z [a, *z]", 6, "alias *z refers to a node that contains it")]
    [InlineData("? [a]\n: b", 6, "a mapping key must be a plain name, not a list, a mapping or an alias")]
    [InlineData("x: &k a\n*k : b", 7, "a mapping key must be a plain name, not a list, a mapping or an alias")]
    public void YamlThatWouldCrashTheParserIsRefused(string spec, int line, string message)
    {
        var error = TestYaml.SpecError(spec);

        Assert.Equal(("", line, "not valid YAML: " + message), (error.Path, error.Line, error.Message));
    }

    [Fact]
    public void ADuplicateKeyIsMalformed()
    {
        var error = TestYaml.Error("apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata: {name: a}\nkind: Redis\n");

        Assert.Equal(4, error.Line);
        Assert.Contains("Duplicate key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AbsurdNestingIsAnErrorNotACrash()
    {
        var error = TestYaml.Error("spec: " + new string('[', 200_000) + new string(']', 200_000));

        Assert.Equal("", error.Path);
        Assert.Contains("nesting deeper than 64 levels", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void TheOutputOfKubectlGetCanBeAppliedAgain()
    {
        var resource = TestYaml.LoadOne("""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              creationTimestamp: "2026-01-02T03:04:05Z"
              finalizers: [redoubt.io/cleanup]
              generation: 4
              managedFields:
              - apiVersion: apps.cozystack.io/v1alpha1
                fieldsType: FieldsV1
                fieldsV1: {f:spec: {f:replicas: {}}}
                manager: kubectl
                operation: Update
              name: example
              namespace: default
              ownerReferences: []
              resourceVersion: "12345"
              uid: 0b5ad7a4-6d6f-4c1a-9d8e-2f0c6c1d9b11
            spec:
              replicas: 3
            status:
              phase: Ready
              anything: {the: server, reports: [1, 2]}
            """);

        Assert.Equal(3, resource.Spec.Replicas);
        Assert.Null(resource.Status);
        Assert.Equal(0, resource.Metadata.Generation);
        Assert.Null(resource.Metadata.Uid);
    }

    [Fact]
    public void TheSameResourceTwiceInOneFileIsAnError()
    {
        var error = TestYaml.Error("""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata: {name: example}
            ---
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata: {name: example, namespace: default}
            """);

        Assert.Equal("metadata.name", error.Path);
        Assert.Equal(7, error.Line);
        Assert.Equal("default/example is defined twice in this file (first at line 1)", error.Message);
    }

    [Fact]
    public void OneBadDocumentRejectsTheWholeFile()
    {
        var result = ResourceLoader.Load("""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata: {name: good}
            ---
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata: {name: bad}
            spec: {replicas: 0}
            """, TestYaml.File);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Resources);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("spec.replicas", 8), (error.Path, error.Line));
    }

    [Fact]
    public void EveryErrorOfEveryDocumentIsReportedInLineOrder()
    {
        var errors = TestYaml.Errors("""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: Example
            spec:
              replicas: abc
              sentinel:
                quorum: 0
                downAfter: 100
              zones: [gland, "gen eve"]
              tls: {enabled: yes}
            ---
            apiVersion: apps.cozystack.io/v1
            kind: Redis
            metadata: {name: other}
            spec: {maxmemoryPolicy: lru}
            """);

        Assert.Equal(
            [
                ("metadata.name", 4),
                ("spec.replicas", 6),
                ("spec.sentinel.quorum", 8),
                ("spec.sentinel.downAfter", 9),
                ("spec.zones[1]", 10),
                ("spec.tls.enabled", 11),
                ("apiVersion", 13),
                ("spec.maxmemoryPolicy", 16),
            ],
            errors.Select(e => (e.Path, e.Line ?? 0)));
        Assert.All(errors, e => Assert.Equal("redis.yaml", e.File));
    }

    [Fact]
    public void AnErrorPrintsAsFileLinePathAndMessage()
    {
        var error = TestYaml.SpecError("replicas: abc");

        Assert.Equal("redis.yaml:6: spec.replicas: must be an integer from 1 to 32, got \"abc\"", error.ToString());
    }

    [Fact]
    public void AnErrorAboutTheWholeFilePrintsWithoutAPath()
    {
        Assert.Equal("redis.yaml:2: not valid YAML: x", new ValidationError("redis.yaml", "", "not valid YAML: x", 2).ToString());
        Assert.Equal("gone.yaml: cannot read the file: no such file", new ValidationError("gone.yaml", "", "cannot read the file: no such file").ToString());
        Assert.Equal("request: spec.replicas: m", new ValidationError("request", "spec.replicas", "m").ToString());
    }

    [Fact]
    public void LoadFileReadsTheFileAndNamesItInErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"redoubt-model-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, TestYaml.WithSpec("replicas: 3"));
            Assert.Equal(3, Assert.Single(ResourceLoader.LoadFile(path).Resources).Spec.Replicas);

            File.WriteAllText(path, TestYaml.WithSpec("replicas: 40"));
            var error = Assert.Single(ResourceLoader.LoadFile(path).Errors);
            Assert.Equal(path, error.File);
            Assert.Equal("spec.replicas", error.Path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AMissingFileIsOneErrorNotAnException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"redoubt-model-{Guid.NewGuid():N}", "missing.yaml");

        var result = ResourceLoader.LoadFile(path);

        Assert.Empty(result.Resources);
        var error = Assert.Single(result.Errors);
        Assert.Equal((path, "", "cannot read the file: no such file"), (error.File, error.Path, error.Message));
        Assert.Null(error.Line);
    }

    [Fact]
    public void ADirectoryIsOneErrorNotAnException()
    {
        var error = Assert.Single(ResourceLoader.LoadFile(Path.GetTempPath()).Errors);

        Assert.Equal("cannot read the file: it is a directory; name a YAML file", error.Message);
    }
}
