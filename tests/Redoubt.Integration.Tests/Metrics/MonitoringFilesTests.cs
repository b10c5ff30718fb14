using YamlDotNet.Serialization;

namespace Redoubt.Integration.Tests.Metrics;

/// <summary>The alert rules as Prometheus itself reads them (promtool), and their PrometheusRule wrapper.</summary>
public sealed class MonitoringFilesTests
{
    [Fact]
    public async Task PromtoolAcceptsTheRuleFile()
    {
        var (exit, output) = await MonitoringTools.RunAsync("promtool", "check", "rules", MonitoringTools.Monitoring("redoubt-rules.yaml"));

        Assert.True(exit == 0, $"promtool check rules failed:\n{output}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAlertsUnitTestsPassInPromtool()
    {
        var (exit, output) = await MonitoringTools.RunAsync("promtool", "test", "rules", MonitoringTools.Monitoring("redoubt-rules.test.yaml"));

        Assert.True(exit == 0, $"promtool test rules failed:\n{output}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePrometheusRuleHoldsExactlyTheGroupsOfTheRuleFile()
    {
        var deserializer = new DeserializerBuilder().Build();
        var serializer = new SerializerBuilder().Build();
        var plain = deserializer.Deserialize<Dictionary<string, object>>(File.ReadAllText(MonitoringTools.Monitoring("redoubt-rules.yaml")));
        var wrapped = deserializer.Deserialize<Dictionary<string, object>>(File.ReadAllText(MonitoringTools.Monitoring("prometheusrule.yaml")));

        Assert.Equal("monitoring.coreos.com/v1", wrapped["apiVersion"]);
        Assert.Equal("PrometheusRule", wrapped["kind"]);
        var spec = (Dictionary<object, object>)wrapped["spec"];
        Assert.Equal(serializer.Serialize(plain["groups"]), serializer.Serialize(spec["groups"]));
    }

    [Fact]
    public void TheDefaultKustomizationLeavesThePrometheusRuleOut()
    {
        // A cluster without the Prometheus Operator has no PrometheusRule kind: `kubectl apply -k deploy/` would fail.
        var kustomization = File.ReadAllText(Path.Combine(MonitoringTools.RepositoryRoot, "deploy", "kustomization.yaml"));

        Assert.DoesNotContain("monitoring", kustomization, StringComparison.Ordinal);
        Assert.DoesNotContain("prometheusrule", kustomization, StringComparison.OrdinalIgnoreCase);
    }
}
