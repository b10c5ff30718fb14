using System.Text.Json;

namespace Redoubt.Model.Tests;

public class ResourceSerializerTests
{
    private static RedisResource Example => TestYaml.LoadOne(TestYaml.Example);

    private static RedisResource WithStatus()
    {
        var resource = TestYaml.LoadOne(TestYaml.WithSpec("replicas: 3\nsize: \"\"\nsentinel: {quorum: 2}\nzones: [gland, lucerne]"));
        resource.Metadata.Generation = 7;
        resource.Metadata.Uid = "0b5ad7a4-6d6f-4c1a-9d8e-2f0c6c1d9b11";
        resource.Metadata.Labels["team"] = "true";
        resource.Metadata.Annotations["note"] = "Genève: 2 sites\nand a \"quote\"";
        var time = new DateTimeOffset(2026, 11, 27, 23, 32, 34, 125, TimeSpan.FromHours(1));
        resource.Status = new RedisStatus
        {
            Phase = Phases.Degraded,
            ObservedGeneration = 7,
            Master = "127.0.1.1:7001",
            Sentinels = ["127.0.1.1:7101", "127.0.1.2:7101"],
            RedisVersion = "8.0.2",
            Conditions = [new StatusCondition { Type = "Ready", Status = "False", Reason = "ReplicaDown", Message = "redis-2 is not replicating", LastTransitionTime = time }],
            Nodes =
            [
                new NodeStatus { Name = "redis-0", Role = "master", Zone = "gland", Address = "127.0.1.1:7001", ReplicationOffset = 1234, Health = "healthy", Pid = 4242 },
                new NodeStatus { Name = "redis-1", Role = "replica", Zone = "lucerne", Address = "127.0.1.2:7002", ReplicationOffset = 1200, LagBytes = 34, Health = "healthy" },
            ],
            SentinelNodes = [new SentinelStatus { Name = "sentinel-0", Zone = "gland", Address = "127.0.1.1:7101", Health = "healthy", MonitoredMaster = "127.0.1.1:7001" }],
            LastFailover = new FailoverRecord { Time = time, DurationMs = 212.5, From = "redis-1", To = "redis-0", Cause = "master process exited" },
            Events = [new StatusEvent { Time = time, Type = "Warning", Reason = "Failover", Message = "promoted redis-0" }],
        };
        return resource;
    }

    [Fact]
    public void TheReferenceExampleSerializesToExactJson()
    {
        Assert.Equal(
            """
            {
              "apiVersion": "apps.cozystack.io/v1alpha1",
              "kind": "Redis",
              "metadata": {
                "name": "example",
                "namespace": "default",
                "generation": 0,
                "labels": {},
                "annotations": {}
              },
              "spec": {}
            }
            """,
            ResourceSerializer.ToJson(Example));
    }

    [Fact]
    public void TheReferenceExampleSerializesToExactYaml()
    {
        Assert.Equal(
            """
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: example
              namespace: default
              generation: 0
              labels: {}
              annotations: {}
            spec: {}

            """,
            ResourceSerializer.ToYaml(Example));
    }

    [Fact]
    public void JsonIsCamelCaseWithoutNullsOrDerivedFields()
    {
        var json = ResourceSerializer.ToJson(TestYaml.LoadOne(TestYaml.WithSpec("replicas: 3\nsentinel: {quorum: 2}")));

        Assert.Contains("\"spec\": {\n    \"replicas\": 3,\n    \"sentinel\": {\n      \"quorum\": 2\n    }\n  }", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"status\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void EnumsAreWrittenAsStrings()
    {
        var spec = SpecDefaults.Resolve(Example.Spec);

        var json = JsonSerializer.Serialize(spec, ResourceSerializer.JsonOptions);

        Assert.Contains("\"persistence\": \"rdb\"", json, StringComparison.Ordinal);
        Assert.Equal(PersistenceMode.Rdb, JsonSerializer.Deserialize<EffectiveSpec>(json, ResourceSerializer.JsonOptions)!.Persistence);
    }

    [Fact]
    public void AResourceWithStatusRoundTripsThroughJson()
    {
        var json = ResourceSerializer.ToJson(WithStatus());

        var back = ResourceSerializer.FromJson(json);

        Assert.Equal(json, ResourceSerializer.ToJson(back));
        AssertIsWithStatus(back);
    }

    [Fact]
    public void AResourceWithStatusRoundTripsThroughYaml()
    {
        var yaml = ResourceSerializer.ToYaml(WithStatus());

        var back = ResourceSerializer.FromYaml(yaml);

        Assert.Equal(yaml, ResourceSerializer.ToYaml(back));
        Assert.Equal(ResourceSerializer.ToJson(WithStatus()), ResourceSerializer.ToJson(back));
        AssertIsWithStatus(back);
    }

    [Fact]
    public void YamlQuotesStringsThatWouldReadAsAnotherType()
    {
        var resource = Example;
        string[] tricky = ["true", "yes", "No", "on", "~", "null", "", "1.0", "12", "1_000", "0x1F", "1:30", "2026-01-02", ".inf", "-5"];
        for (var i = 0; i < tricky.Length; i++)
        {
            resource.Metadata.Annotations[$"k{i}"] = tricky[i];
        }

        var yaml = ResourceSerializer.ToYaml(resource);

        Assert.Contains("k0: \"true\"\n", yaml, StringComparison.Ordinal);
        Assert.Contains("k1: \"yes\"\n", yaml, StringComparison.Ordinal);
        Assert.Contains("k13: \".inf\"\n", yaml, StringComparison.Ordinal);
        Assert.Equal(resource.Metadata.Annotations, ResourceSerializer.FromYaml(yaml).Metadata.Annotations);
    }

    [Fact]
    public void YamlLeavesOrdinaryStringsPlain()
    {
        var yaml = ResourceSerializer.ToYaml(TestYaml.LoadOne(TestYaml.WithSpec("size: 10Gi\nresources: {cpu: 250m}\nzones: [gland]")));

        Assert.Contains("  size: 10Gi\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    cpu: 250m\n", yaml, StringComparison.Ordinal);
        Assert.Contains("  zones:\n  - gland\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void YamlOutputCanBeAppliedAgain()
    {
        var original = WithStatus();

        var reloaded = TestYaml.LoadOne(ResourceSerializer.ToYaml(original));

        Assert.Equal(
            JsonSerializer.Serialize(original.Spec, ResourceSerializer.JsonOptions),
            JsonSerializer.Serialize(reloaded.Spec, ResourceSerializer.JsonOptions));
        Assert.Equal(original.Metadata.Labels, reloaded.Metadata.Labels);
        Assert.Equal(original.Metadata.Annotations, reloaded.Metadata.Annotations);
        Assert.Null(reloaded.Status);
    }

    [Fact]
    public void JsonOutputCanBeAppliedAgain()
    {
        var reloaded = TestYaml.LoadOne(ResourceSerializer.ToJson(WithStatus()));

        Assert.Equal(3, reloaded.Spec.Replicas);
        Assert.Equal("", reloaded.Spec.Size);
    }

    [Fact]
    public void AListIsAJsonArrayAndAMultiDocumentYamlStream()
    {
        var second = TestYaml.LoadOne(TestYaml.Example.Replace("name: example", "name: second", StringComparison.Ordinal));
        RedisResource[] resources = [Example, second];

        var array = JsonSerializer.Deserialize<List<RedisResource>>(ResourceSerializer.ToJson(resources), ResourceSerializer.JsonOptions)!;
        var yaml = ResourceSerializer.ToYaml(resources);
        var loaded = ResourceLoader.Load(yaml, "list.yaml");

        Assert.Equal(["example", "second"], array.Select(r => r.Metadata.Name));
        Assert.Contains("\n---\n", yaml, StringComparison.Ordinal);
        Assert.Equal(["example", "second"], loaded.Resources.Select(r => r.Metadata.Name));
    }

    [Fact]
    public void TheJsonOptionsAreSharedReadOnly()
    {
        Assert.True(ResourceSerializer.JsonOptions.IsReadOnly);
        Assert.Equal(JsonNamingPolicy.CamelCase, ResourceSerializer.JsonOptions.PropertyNamingPolicy);
    }

    [Fact]
    public void NullJsonIsNotAResource()
    {
        Assert.Throws<JsonException>(() => ResourceSerializer.FromJson("null"));
    }

    private static void AssertIsWithStatus(RedisResource back)
    {
        var time = new DateTimeOffset(2026, 11, 27, 23, 32, 34, 125, TimeSpan.FromHours(1));
        Assert.Equal(7, back.Metadata.Generation);
        Assert.Equal("0b5ad7a4-6d6f-4c1a-9d8e-2f0c6c1d9b11", back.Metadata.Uid);
        Assert.Equal("true", back.Metadata.Labels["team"]);
        Assert.Equal("Genève: 2 sites\nand a \"quote\"", back.Metadata.Annotations["note"]);
        Assert.Equal(3, back.Spec.Replicas);
        Assert.Equal("", back.Spec.Size);
        Assert.Equal(2, back.Spec.Sentinel?.Quorum);
        Assert.Equal(["gland", "lucerne"], back.Spec.Zones);

        var status = back.Status!;
        Assert.Equal(Phases.Degraded, status.Phase);
        Assert.Equal(7, status.ObservedGeneration);
        Assert.Equal("127.0.1.1:7001", status.Master);
        Assert.Equal(["127.0.1.1:7101", "127.0.1.2:7101"], status.Sentinels);
        Assert.Equal("mymaster", status.MasterName);
        Assert.Equal("8.0.2", status.RedisVersion);
        var condition = Assert.Single(status.Conditions);
        Assert.Equal(("Ready", "False", "ReplicaDown", "redis-2 is not replicating", time),
            (condition.Type, condition.Status, condition.Reason, condition.Message, condition.LastTransitionTime));
        Assert.Equal(2, status.Nodes.Count);
        Assert.Equal(("redis-0", "master", "gland", 1234L, (long?)null, 4242), (status.Nodes[0].Name, status.Nodes[0].Role, status.Nodes[0].Zone, status.Nodes[0].ReplicationOffset, status.Nodes[0].LagBytes, status.Nodes[0].Pid));
        Assert.Equal((34L, (int?)null), (status.Nodes[1].LagBytes, status.Nodes[1].Pid));
        Assert.Equal("127.0.1.1:7001", Assert.Single(status.SentinelNodes).MonitoredMaster);
        Assert.Equal((time, 212.5, "redis-1", "redis-0", "master process exited"),
            (status.LastFailover!.Time, status.LastFailover.DurationMs, status.LastFailover.From, status.LastFailover.To, status.LastFailover.Cause));
        Assert.Equal(time.Offset, status.LastFailover.Time.Offset);
        var @event = Assert.Single(status.Events);
        Assert.Equal(("Warning", "Failover", "promoted redis-0", time), (@event.Type, @event.Reason, @event.Message, @event.Time));
    }
}
