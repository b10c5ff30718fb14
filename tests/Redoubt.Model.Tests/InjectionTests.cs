namespace Redoubt.Model.Tests;

/// <summary>
/// No value that reaches redis.conf or sentinel.conf can smuggle a second directive: every field has a grammar with
/// no room for line breaks, quotes, backslashes or spaces.
/// </summary>
public class InjectionTests
{
    public static TheoryData<string, string, string> Attempts => new()
    {
        { """maxmemoryPolicy: "noeviction\nreplicaof 1.2.3.4 6379" """, "spec.maxmemoryPolicy", "\"noeviction\\nreplicaof 1.2.3.4 6379\"" },
        { """maxmemoryPolicy: "noeviction\r\nreplicaof 1.2.3.4 6379" """, "spec.maxmemoryPolicy", "\"noeviction\\r\\nreplicaof 1.2.3.4 6379\"" },
        { """maxmemoryPolicy: "noeviction replicaof" """, "spec.maxmemoryPolicy", "\"noeviction replicaof\"" },
        { """maxmemory: "100Mi\nrename-command CONFIG \"\"" """, "spec.maxmemory", "\"100Mi\\nrename-command CONFIG \\\"\\\"\"" },
        { """size: "1Gi\nappendonly no" """, "spec.size", "\"1Gi\\nappendonly no\"" },
        { """resources: {memory: "1Gi\n"}""", "spec.resources.memory", "\"1Gi\\n\"" },
        { """resources: {cpu: "1 "}""", "spec.resources.cpu", "\"1 \"" },
        { """sentinel: {resources: {memory: "64Mi\tx"}}""", "spec.sentinel.resources.memory", "\"64Mi\\tx\"" },
        { """zones: [gland, "gen eve"]""", "spec.zones[1]", "\"gen eve\"" },
        { """zones: ["gland\nsentinel monitor evil 6.6.6.6 6379 1"]""", "spec.zones[0]", "\"gland\\nsentinel monitor evil 6.6.6.6 6379 1\"" },
        { """zones: ["gland\""]""", "spec.zones[0]", "\"gland\\\"\"" },
        { """zones: ['a\b']""", "spec.zones[0]", "\"a\\\\b\"" },
        { """storageClass: "fast\"; rm -rf /" """, "spec.storageClass", "\"fast\\\"; rm -rf /\"" },
        { """version: "v8\n" """, "spec.version", "\"v8\\n\"" },
        { """persistenceMode: "rdb\nsave \"\"" """, "spec.persistenceMode", "\"rdb\\nsave \\\"\\\"\"" },
        { """resourcesPreset: "t1.nano\nmaxmemory 1" """, "spec.resourcesPreset", "\"t1.nano\\nmaxmemory 1\"" },
        { """resourcesPreset: "t1.nano\u0000" """, "spec.resourcesPreset", "\"t1.nano\\u0000\"" },
    };

    [Theory]
    [MemberData(nameof(Attempts))]
    public void ValuesCarryingDirectivesAreRejectedAndShownEscaped(string spec, string path, string shownValue)
    {
        var error = TestYaml.SpecError(spec);

        Assert.Equal(path, error.Path);
        Assert.Contains(shownValue, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.ToString());
        Assert.DoesNotContain('\r', error.ToString());
    }

    [Theory]
    [InlineData("name: \"example\\nfoo\"", "metadata.name")]
    [InlineData("name: a\n  namespace: \"default\\\"\"", "metadata.namespace")]
    [InlineData("name: a\n  labels: {app: \"x\\ny\"}", "metadata.labels[app]")]
    [InlineData("name: a\n  labels: {\"a\\nb\": x}", "metadata.labels[\"a\\nb\"]")]
    public void NamesCarryingLineBreaksOrQuotesAreRejected(string metadata, string path)
    {
        var error = TestYaml.Error($"apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  {metadata}\n");

        Assert.Equal(path, error.Path);
        Assert.DoesNotContain('\n', error.ToString());
    }

    [Fact]
    public void EveryStringOfAnAcceptedSpecIsFreeOfConfigMetacharacters()
    {
        var spec = TestYaml.Resolve("""
            size: 3Gi
            storageClass: fast.ssd
            resources: {cpu: 1500m, memory: 1Gi}
            version: v7
            persistenceMode: both
            maxmemory: 512Mi
            maxmemoryPolicy: allkeys-lfu
            zones: [zone-a, zone-b]
            """);

        string[] strings =
        [
            spec.Size, spec.StorageClass, spec.ResourcesPreset, spec.Version!, spec.MaxmemoryPolicy,
            spec.Resources.Cpu, spec.Resources.Memory, spec.Sentinel.Resources.Cpu, spec.Sentinel.Resources.Memory, .. spec.Zones,
        ];
        Assert.All(strings, s => Assert.DoesNotContain(s, c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '\\'));
    }
}
