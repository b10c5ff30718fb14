using System.Net;
using System.Text.Json.Nodes;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;
using Redoubt.Kubernetes.Tests;
using Redoubt.Kubernetes.Tests.Crd;

namespace Redoubt.Kubernetes.Cluster.Tests.Crd;

/// <summary>deploy/crd.yaml as a real API server (1.20) takes it: established, defaulting, and its schema enforced.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CrdOnServerTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private readonly TestCluster _cluster = fixture.Cluster;

    public static TheoryData<string> Examples() => [.. TestPaths.ExampleFiles()];

    public static TheoryData<string, string> WrongValues() => InvalidSpecs.WrongValues();

    public static TheoryData<string, string> UnknownFields() => InvalidSpecs.UnknownFields();

    [Fact]
    public async Task CommittedCrdIsEstablishedWithItsNamesAndStatusSubresource()
    {
        using var ct = new CancellationTokenSource(Deadline);
        using var admin = _cluster.AdminClient();

        var served = await RedisCrd.EnsureInstalledAsync(admin, ct.Token);

        Assert.Equal("Redis", served.Status.AcceptedNames.Kind);
        Assert.Equal("redises", served.Status.AcceptedNames.Plural);
        var version = Assert.Single(served.Spec.Versions);
        Assert.True(version.Served && version.Storage);
        Assert.NotNull(version.Subresources?.Status);
        Assert.Equal(["Replicas", "Phase", "Master", "Age", "Last Backup"], version.AdditionalPrinterColumns.Select(c => c.Name));
    }

    [Fact]
    public async Task ServerFillsAnEmptySpecWithTheDocumentedDefaults()
    {
        using var ct = new CancellationTokenSource(Deadline);
        using var admin = _cluster.AdminClient();
        await RedisCrd.EnsureInstalledAsync(admin, ct.Token);
        var ns = await _cluster.CreateNamespaceAsync("crd-defaults", ct.Token);

        var (status, created) = await RedisCrd.CreateAsync(admin, ns, JsonNode.Parse("""{"apiVersion":"apps.cozystack.io/v1alpha1","kind":"Redis","metadata":{"name":"defaults"},"spec":{}}""")!, ct.Token);

        Assert.True(status == HttpStatusCode.Created, $"the API server answered {(int)status}: {created}");
        var spec = created!["spec"]!;
        Assert.Equal(2, spec["replicas"]!.GetValue<long>());
        Assert.Equal("1Gi", spec["size"]!.GetValue<string>());
        // An empty-string default is what Go 1.16+ broke in 1.20's validator; the build script patches it back.
        Assert.Equal("", spec["storageClass"]!.GetValue<string>());
        Assert.Equal("t1.nano", spec["resourcesPreset"]!.GetValue<string>());
        Assert.Equal("v8", spec["version"]!.GetValue<string>());
        Assert.True(spec["authEnabled"]!.GetValue<bool>());
        Assert.False(spec["external"]!.GetValue<bool>());
        Assert.Equal(3, spec["sentinel"]!["replicas"]!.GetValue<long>());
        Assert.Equal(1000, spec["sentinel"]!["downAfterMilliseconds"]!.GetValue<long>());
        Assert.Equal(3000, spec["sentinel"]!["failoverTimeout"]!.GetValue<long>());
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task ServerAcceptsEveryExample(string file)
    {
        using var ct = new CancellationTokenSource(Deadline);
        using var admin = _cluster.AdminClient();
        await RedisCrd.EnsureInstalledAsync(admin, ct.Token);
        var ns = await _cluster.CreateNamespaceAsync("crd-example", ct.Token);

        var documents = YamlDocuments.Read(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, file), ct.Token));
        Assert.NotEmpty(documents);
        foreach (var document in documents)
        {
            var (status, body) = await RedisCrd.CreateAsync(admin, ns, document!, ct.Token);
            Assert.True(status == HttpStatusCode.Created, $"{file}: the API server answered {(int)status}: {body}");
        }
    }

    [Theory]
    [MemberData(nameof(WrongValues))]
    public async Task ServerRejectsWrongValuesWith422NamingTheField(string spec, string path)
    {
        using var ct = new CancellationTokenSource(Deadline);
        using var admin = _cluster.AdminClient();
        await RedisCrd.EnsureInstalledAsync(admin, ct.Token);
        var ns = await _cluster.CreateNamespaceAsync("crd-invalid", ct.Token);

        var (status, body) = await RedisCrd.CreateAsync(admin, ns, YamlDocuments.Read(InvalidSpecs.Document("bad", spec))[0]!, ct.Token);

        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"spec `{spec}`: expected 422, the API server answered {(int)status}: {body}");
        var causes = body!["details"]!["causes"]!.AsArray().Select(c => c!["field"]?.GetValue<string>()).ToList();
        // 1.20 reports an array item's error at the array (spec.zones for spec.zones[0]); newer servers at the item.
        var array = path.EndsWith(']') ? path[..path.LastIndexOf('[')] : path;
        Assert.True(causes.Contains(path) || causes.Contains(array), $"spec `{spec}`: the 422 names {string.Join(", ", causes)}, not {path}: {body}");
    }

    [Theory]
    [MemberData(nameof(UnknownFields))]
    public async Task ServerPrunesUnknownFields(string spec, string path)
    {
        using var ct = new CancellationTokenSource(Deadline);
        using var admin = _cluster.AdminClient();
        await RedisCrd.EnsureInstalledAsync(admin, ct.Token);
        var ns = await _cluster.CreateNamespaceAsync("crd-unknown", ct.Token);

        var (status, body) = await RedisCrd.CreateAsync(admin, ns, YamlDocuments.Read(InvalidSpecs.Document("typo", spec))[0]!, ct.Token);

        Assert.True(status == HttpStatusCode.Created, $"spec `{spec}`: the API server answered {(int)status}: {body}");
        var segments = path.Split('.');
        var parent = segments[..^1].Aggregate<string, JsonNode?>(body, (node, segment) => node?[segment]);
        Assert.NotNull(parent);
        Assert.False(parent!.AsObject().ContainsKey(segments[^1]), $"{path} was stored: {body}");
    }
}
