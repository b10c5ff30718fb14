namespace Redoubt.Model.Tests;

/// <summary>Validation of resources that arrive without YAML (a JSON body, a resource built in code).</summary>
public class ResourceValidatorTests
{
    [Fact]
    public void AValidResourceHasNoErrors()
    {
        var resource = new RedisResource { Metadata = new ObjectMeta { Name = "example" } };

        Assert.Empty(ResourceValidator.Validate(resource, "request"));
    }

    [Fact]
    public void EveryBadValueIsReportedWithoutALine()
    {
        var resource = new RedisResource
        {
            Metadata = new ObjectMeta { Name = "Bad Name" },
            Spec = new RedisSpec { Replicas = 0, Zones = ["ok", "not ok"], Sentinel = new SentinelSpec { DownAfterMilliseconds = 100 } },
        };

        var errors = ResourceValidator.Validate(resource, "request");

        Assert.Equal(
            [
                ("request", "metadata.name", (int?)null),
                ("request", "spec.replicas", null),
                ("request", "spec.sentinel.downAfterMilliseconds", null),
                ("request", "spec.zones[1]", null),
            ],
            errors.Select(e => (e.File, e.Path, e.Line)));
    }

    [Fact]
    public void NullSectionsFromJsonAreReportedNotThrown()
    {
        var resource = ResourceSerializer.FromJson("""{"apiVersion": "apps.cozystack.io/v1alpha1", "kind": "Redis", "metadata": null, "spec": null}""");

        var errors = ResourceValidator.Validate(resource, "request");

        Assert.Equal(["metadata", "spec"], errors.Select(e => e.Path));
    }

    [Fact]
    public void NullZonesAndLabelValuesFromJsonAreReportedNotThrown()
    {
        var resource = ResourceSerializer.FromJson("""
            {"apiVersion": "apps.cozystack.io/v1alpha1", "kind": "Redis",
             "metadata": {"name": "a", "namespace": null, "labels": {"app": null}},
             "spec": {"zones": ["a", null]}}
            """);

        var errors = ResourceValidator.Validate(resource, "request");

        Assert.Equal(["metadata.namespace", "metadata.labels[app]", "spec.zones[1]"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.EndsWith("got null", e.Message, StringComparison.Ordinal));
    }
}
