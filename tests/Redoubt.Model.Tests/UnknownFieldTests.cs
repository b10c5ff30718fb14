namespace Redoubt.Model.Tests;

/// <summary>A field nobody defined is rejected with its path and the allowed names, at every level.</summary>
public class UnknownFieldTests
{
    private const string Head = "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: example\n";

    private const string SpecFields =
        "replicas, size, storageClass, resources, resourcesPreset, external, version, authEnabled, persistenceMode, " +
        "maxmemory, maxmemoryPolicy, minReplicasToWrite, minReplicasMaxLag, tls, sentinel, zones, backup";

    public static TheoryData<string, string, int, string> Unknown => new()
    {
        { Head + "specs: {}\n", "specs", 5, "unknown field; did you mean spec? allowed: apiVersion, kind, metadata, spec, status" },
        { Head + "data: {}\n", "data", 5, "unknown field; allowed: apiVersion, kind, metadata, spec, status" },
        { Head + "  labelz: {}\n", "metadata.labelz", 5, "unknown field; did you mean labels? allowed: name, namespace, labels, annotations" },
        { Head + "  generateName: x-\n", "metadata.generateName", 5, "unknown field; allowed: name, namespace, labels, annotations" },
        { Head + "spec:\n  replica: 3\n", "spec.replica", 6, $"unknown field; did you mean replicas? allowed: {SpecFields}" },
        { Head + "spec:\n  Replicas: 3\n", "spec.Replicas", 6, $"unknown field; did you mean replicas? allowed: {SpecFields}" },
        { Head + "spec:\n  password: hunter2\n", "spec.password", 6, $"unknown field; allowed: {SpecFields}" },
        {
            Head + "spec:\n  sentinel:\n    quorom: 2\n", "spec.sentinel.quorom", 7,
            "unknown field; did you mean quorum? allowed: replicas, quorum, downAfterMilliseconds, failoverTimeout, resources"
        },
        { Head + "spec:\n  resources:\n    cpu: 1\n    storage: 1Gi\n", "spec.resources.storage", 8, "unknown field; allowed: cpu, memory" },
        { Head + "spec:\n  sentinel:\n    resources: {gpu: 1}\n", "spec.sentinel.resources.gpu", 7, "unknown field; allowed: cpu, memory" },
        { Head + "spec:\n  tls: {enabled: true, certFile: /x}\n", "spec.tls.certFile", 6, "unknown field; allowed: enabled" },
        { Head + "spec:\n  \"replicas\\n\": 3\n", "spec.\"replicas\\n\"", 6, $"unknown field; did you mean replicas? allowed: {SpecFields}" },
    };

    [Theory]
    [MemberData(nameof(Unknown))]
    public void UnknownFieldsAreRejectedWithTheirPathAndTheAllowedNames(string yaml, string path, int line, string message)
    {
        var error = TestYaml.Error(yaml);

        Assert.Equal((path, line, message), (error.Path, error.Line ?? 0, error.Message));
    }

    [Fact]
    public void EveryUnknownFieldIsReported()
    {
        var errors = TestYaml.Errors(Head + "spec:\n  replica: 3\n  sentinels: {}\n  tls: {on: true}\n");

        Assert.Equal(["spec.replica", "spec.sentinels", "spec.tls.on"], errors.Select(e => e.Path));
    }
}
