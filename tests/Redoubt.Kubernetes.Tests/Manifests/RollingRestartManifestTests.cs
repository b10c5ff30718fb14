using k8s.Models;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Platform;

namespace Redoubt.Kubernetes.Tests.Manifests;

/// <summary>
/// Redis pods update on delete: the template hash says which pods are outdated, and only what a restart applies
/// changes it. Settings the healer sets at run time never restart a pod.
/// </summary>
public sealed class RollingRestartManifestTests
{
    private static RedisResource Resource(Action<RedisSpec>? spec = null, string? restartedAt = null)
    {
        var resource = new RedisResource { Metadata = new ObjectMeta { Name = "example", Namespace = "shop", Uid = "4b1e0c3a-0000-4000-8000-000000000001" } };
        spec?.Invoke(resource.Spec);
        if (restartedAt is not null)
        {
            resource.Metadata.Annotations[ResourceAnnotations.RestartedAt] = restartedAt;
        }

        return resource;
    }

    private static V1StatefulSet StatefulSet(RedisResource resource) =>
        ManifestGenerator.Generate(Planner.Plan(resource), new ManifestOptions()).Applied.OfType<V1StatefulSet>().Single();

    private static V1Deployment Sentinels(RedisResource resource) =>
        ManifestGenerator.Generate(Planner.Plan(resource), new ManifestOptions()).Applied.OfType<V1Deployment>().Single();

    private static string Hash(RedisResource resource) => RedisStatefulSet.TemplateHashOf(StatefulSet(resource));

    [Fact]
    public void RunTimeSettingsLeaveTheTemplatesAlone()
    {
        var plain = Resource();
        var tuned = Resource(s =>
        {
            s.Resources = new ResourceLimits { Memory = "2Gi", Cpu = "1" };
            s.Sentinel = new SentinelSpec { DownAfterMilliseconds = 3000, FailoverTimeout = 9000 };
        });
        var onlyMaxmemory = Resource(s => s.MaxmemoryPolicy = "allkeys-lru");

        Assert.Equal(Hash(plain), Hash(onlyMaxmemory));
        Assert.Equal(Sentinels(plain).Spec.Template.Metadata.Annotations, Sentinels(tuned).Spec.Template.Metadata.Annotations);
        // Resources are part of the pod spec: they change the Redis template (but not its config hash).
        Assert.NotEqual(Hash(plain), Hash(tuned));
        Assert.Equal(StatefulSet(plain).Spec.Template.Metadata.Annotations[Annotations.ConfigHash], StatefulSet(tuned).Spec.Template.Metadata.Annotations[Annotations.ConfigHash]);
    }

    [Fact]
    public void ARestartRequestChangesBothTemplatesAndTravelsOnThePods()
    {
        var plain = Resource();
        var restarted = Resource(restartedAt: "2030-01-01T12:00:00Z");

        Assert.NotEqual(Hash(plain), Hash(restarted));
        Assert.Equal("2030-01-01T12:00:00Z", StatefulSet(restarted).Spec.Template.Metadata.Annotations[ResourceAnnotations.RestartedAt]);
        Assert.Equal("2030-01-01T12:00:00Z", Sentinels(restarted).Spec.Template.Metadata.Annotations[ResourceAnnotations.RestartedAt]);
        Assert.False(StatefulSet(plain).Spec.Template.Metadata.Annotations.ContainsKey(ResourceAnnotations.RestartedAt));
    }

    [Fact]
    public void TheTemplateHashIsStableForTheSameResource()
    {
        Assert.Equal(Hash(Resource(s => s.Replicas = 3)), Hash(Resource(s => s.Replicas = 3)));
        Assert.Equal(16, Hash(Resource()).Length);
    }

    private static V1Pod Pod(string name, IDictionary<string, string> annotations, string component = "redis") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "shop",
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/component"] = component },
            Annotations = annotations,
        },
        Spec = new V1PodSpec { NodeName = "node-a" },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = "10.0.0.1",
            ContainerStatuses = [new V1ContainerStatus { Name = component, State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } } }],
        },
    };

    [Fact]
    public void PodsFromTheCurrentTemplateAreUpToDateOthersSayWhy()
    {
        var resource = Resource(s => s.Replicas = 3, restartedAt: "2030-01-01T12:00:00Z");
        var plan = Planner.Plan(resource);
        var current = new Dictionary<string, string>(StatefulSet(resource).Spec.Template.Metadata.Annotations);
        var beforeRequest = new Dictionary<string, string>(StatefulSet(Resource(s => s.Replicas = 3)).Spec.Template.Metadata.Annotations);
        var olderOperator = new Dictionary<string, string> { [Annotations.ConfigHash] = "0123456789abcdef", [ResourceAnnotations.RestartedAt] = "2030-01-01T12:00:00Z" };
        var names = new ObjectNames("example");

        var states = PodStates.From(plan, names, [Pod(names.RedisPod(0), current), Pod(names.RedisPod(1), beforeRequest), Pod(names.RedisPod(2), olderOperator)], _ => "zone-a", RedisStatefulSet.TemplateHashOf(StatefulSet(resource)));

        Assert.Equal(
            [null, "a restart was requested (2030-01-01T12:00:00Z)", "its pod was created from an older template (configuration, resources or image)"],
            states.Where(s => s.Kind == NodeKind.Redis).Select(s => s.Outdated));
        Assert.All(states.Where(s => s.Kind == NodeKind.Sentinel), s => Assert.Null(s.Outdated));
    }
}
