using k8s;
using k8s.Models;
using Redoubt.Core.Access;
using Redoubt.Core.Planning;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Platform;

namespace Redoubt.Kubernetes.Tests.Manifests;

public sealed class ManifestTests
{
    private static RedisResource Resource(Action<RedisSpec>? spec = null, string? uid = "4b1e0c3a-0000-4000-8000-000000000001")
    {
        var resource = new RedisResource { Metadata = new ObjectMeta { Name = "example", Namespace = "shop", Uid = uid } };
        spec?.Invoke(resource.Spec);
        return resource;
    }

    private static DesiredObjects Generate(RedisResource resource, ManifestOptions? options = null) =>
        ManifestGenerator.Generate(Planner.Plan(resource), options ?? new ManifestOptions());

    private static T One<T>(DesiredObjects desired, string name) where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(desired.Applied.OfType<T>(), o => o.Metadata.Name == name);

    private static IEnumerable<V1PodSpec> PodSpecs(DesiredObjects desired) =>
        desired.Applied.OfType<V1StatefulSet>().Select(s => s.Spec.Template.Spec)
            .Concat(desired.Applied.OfType<V1Deployment>().Select(d => d.Spec.Template.Spec));

    [Fact]
    public void ObjectsAreNamedAsOnTheReferencePlatform()
    {
        var desired = Generate(Resource(s => s.External = true));
        var names = desired.Applied.Select(o => $"{o.Kind}/{o.Metadata.Name}").ToHashSet();
        Assert.Contains("StatefulSet/rfr-redis-example", names);
        Assert.Contains("Deployment/rfs-redis-example", names);
        Assert.Contains("Service/rfrm-redis-example", names);
        Assert.Contains("Service/rfrs-redis-example", names);
        Assert.Contains("Service/rfs-redis-example", names);
        Assert.Contains("Service/redis-example-external-lb", names);
        Assert.Equal("redis-example-auth", desired.AuthSecret?.Metadata.Name);
        Assert.All(desired.Applied, o => Assert.Equal("shop", o.Metadata.NamespaceProperty));
    }

    [Fact]
    public void EveryObjectIsOwnedByTheResource()
    {
        var desired = Generate(Resource(s => s.External = true));
        foreach (var item in desired.Applied.Append(desired.AuthSecret!))
        {
            var owner = Assert.Single(item.Metadata.OwnerReferences);
            Assert.Equal(("apps.cozystack.io/v1alpha1", "Redis", "example", true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Controller == true));
        }
    }

    [Fact]
    public void ResourceReadFromAFileHasNoOwnerReferencesToGetWrong()
    {
        Assert.All(Generate(Resource(uid: null)).Applied, o => Assert.Null(o.Metadata.OwnerReferences));
    }

    [Fact]
    public void MasterServiceSelectsTheMasterRoleLabelAndReplicasTheSlaveOne()
    {
        var desired = Generate(Resource(s => s.External = true));
        Assert.Equal("master", One<V1Service>(desired, "rfrm-redis-example").Spec.Selector["redisfailovers-role"]);
        Assert.Equal("slave", One<V1Service>(desired, "rfrs-redis-example").Spec.Selector["redisfailovers-role"]);
        var external = One<V1Service>(desired, "redis-example-external-lb");
        Assert.Equal(("LoadBalancer", "master"), (external.Spec.Type, external.Spec.Selector["redisfailovers-role"]));
        var sentinel = One<V1Service>(desired, "rfs-redis-example");
        Assert.Equal(26379, Assert.Single(sentinel.Spec.Ports).Port);
    }

    [Fact]
    public void NoExternalServiceUnlessAskedAndTheOldOneIsRemoved()
    {
        var desired = Generate(Resource());
        Assert.DoesNotContain(desired.Applied, o => o.Metadata.Name == "redis-example-external-lb");
        Assert.Contains(("Service", "redis-example-external-lb"), desired.Obsolete);
    }

    [Fact]
    public void RedisPodsBootAsReplicasOfThemselves()
    {
        var container = One<V1StatefulSet>(Generate(Resource()), "rfr-redis-example").Spec.Template.Spec.Containers[0];
        Assert.Equal(["redis-server"], container.Command);
        Assert.Equal(["/etc/redoubt/redis.conf", "--replicaof", "$(POD_IP)", "6379"], container.Args);
        Assert.Equal("status.podIP", Assert.Single(container.Env, e => e.Name == "POD_IP").ValueFrom.FieldRef.FieldPath);
    }

    [Fact]
    public void ThePasswordIsOnlyInTheSecret()
    {
        var desired = Generate(Resource());
        var configs = desired.Applied.OfType<V1ConfigMap>().SelectMany(c => c.Data.Values).ToList();
        Assert.All(configs, text => Assert.DoesNotContain("requirepass", text, StringComparison.Ordinal));
        Assert.Contains(configs, text => text.Contains("include /etc/redoubt/auth/redis-auth.conf", StringComparison.Ordinal));
        foreach (var container in PodSpecs(desired).SelectMany(p => p.Containers.Concat(p.InitContainers ?? [])))
        {
            Assert.All(container.Env ?? [], e => Assert.False(e.Name.Contains("PASSWORD", StringComparison.Ordinal) && e.Value is not null, $"{container.Name} has a password literal"));
            Assert.DoesNotContain("requirepass", string.Join(' ', (container.Command ?? []).Concat(container.Args ?? [])), StringComparison.Ordinal);
        }

        Assert.Null(desired.AuthSecret!.StringData);
        Assert.Null(desired.AuthSecret.Data);
    }

    [Fact]
    public void AuthSecretCarriesThePasswordsAndTheSnippetsDerivedFromThem()
    {
        var own = new RedoubtPasswords("admin1", "repl\"1", "sentinel1");
        var secret = AuthSecret.Build(Planner.Plan(Resource()), new ObjectNames("example"), new ResourceSecrets("app1", own));

        Assert.Equal("app1", secret.StringData["password"]);
        Assert.Equal("admin1", secret.StringData["admin-password"]);
        Assert.Equal("repl\"1", secret.StringData["replication-password"]);
        Assert.Equal("sentinel1", secret.StringData["sentinel-password"]);
        var redis = secret.StringData["redis-auth.conf"];
        Assert.Contains($"user default on \"#{PasswordHash.Of("app1")}\"", redis, StringComparison.Ordinal);
        Assert.Contains($"user redoubt-admin on \"#{PasswordHash.Of("admin1")}\"", redis, StringComparison.Ordinal);
        Assert.Contains("masteruser redoubt-replication\nmasterauth \"repl\\\"1\"\n", redis, StringComparison.Ordinal);
        Assert.DoesNotContain("app1", redis, StringComparison.Ordinal);
        var sentinel = secret.StringData["sentinel-auth.conf"];
        Assert.Contains("sentinel sentinel-user redoubt-sentinel\nsentinel sentinel-pass sentinel1\n", sentinel, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AuthSecret.Build(Planner.Plan(Resource()), new ObjectNames("example"), new ResourceSecrets("app", own with { Replication = "a\nrequirepass x" })));
    }

    [Fact]
    public void WithoutAuthTheSecretStillHoldsRedoubtsOwnUsersAndApplicationsNeedNoPassword()
    {
        var desired = Generate(Resource(s => s.AuthEnabled = false));
        Assert.NotNull(desired.AuthSecret);
        Assert.DoesNotContain(("Secret", "redis-example-auth"), desired.Obsolete);
        Assert.All(PodSpecs(desired), p => Assert.Contains(p.Volumes, v => v.Name == "auth"));

        var secret = AuthSecret.Build(Planner.Plan(Resource(s => s.AuthEnabled = false)), new ObjectNames("example"), new ResourceSecrets(null, new RedoubtPasswords("a", "r", "s")));
        Assert.False(secret.StringData.ContainsKey("password"));
        Assert.Contains("user default on nopass", secret.StringData["redis-auth.conf"], StringComparison.Ordinal);
    }

    [Fact]
    public void EveryContainerIsNonRootReadOnlyWithoutCapabilities()
    {
        foreach (var pod in PodSpecs(Generate(Resource())))
        {
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                var security = container.SecurityContext;
                Assert.True(security.ReadOnlyRootFilesystem, container.Name);
                Assert.False(security.AllowPrivilegeEscalation, container.Name);
                Assert.Equal(["ALL"], security.Capabilities.Drop);
            }
        }
    }

    [Fact]
    public void SentinelConfigIsCopiedIntoAWritableVolumeWithItsOwnId()
    {
        var pod = One<V1Deployment>(Generate(Resource()), "rfs-redis-example").Spec.Template.Spec;
        var init = Assert.Single(pod.InitContainers);
        var script = init.Command[^1];
        Assert.Contains("cp /etc/redoubt/sentinel.conf /sentinel/sentinel.conf", script, StringComparison.Ordinal);
        var data = One<V1ConfigMap>(Generate(Resource()), "rfs-redis-example").Data["sentinel.conf"];
        Assert.DoesNotContain("sentinel myid", data, StringComparison.Ordinal);
        Assert.Contains("cat /etc/redoubt/auth/sentinel-auth.conf >> /sentinel/sentinel.conf", script, StringComparison.Ordinal);
        Assert.Contains(pod.Volumes, v => v.Name == "sentinel-config-writable" && v.EmptyDir is not null);
        Assert.Equal(["/sentinel/sentinel.conf", "--sentinel"], pod.Containers[0].Args);
    }

    [Fact]
    public void ClaimTemplateFollowsSizeAndStorageClass()
    {
        var sized = One<V1StatefulSet>(Generate(Resource(s => { s.Size = "10Gi"; s.StorageClass = "replicated"; })), "rfr-redis-example").Spec;
        var claim = Assert.Single(sized.VolumeClaimTemplates);
        Assert.Equal("10Gi", claim.Spec.Resources.Requests["storage"].ToString());
        Assert.Equal("replicated", claim.Spec.StorageClassName);

        var cache = One<V1StatefulSet>(Generate(Resource(s => s.Size = "")), "rfr-redis-example").Spec;
        Assert.Null(cache.VolumeClaimTemplates);
        Assert.Contains(cache.Template.Spec.Volumes, v => v.Name == RedisStatefulSet.DataVolume && v.EmptyDir is not null);
    }

    [Fact]
    public void ClaimRetentionPolicyIsLeftOutForServersThatDoNotKnowIt()
    {
        var current = One<V1StatefulSet>(Generate(Resource()), "rfr-redis-example").Spec;
        Assert.Equal("Delete", current.PersistentVolumeClaimRetentionPolicy.WhenDeleted);

        var before123 = new ServerCapabilities("1.20", PolicyV1: false, PvcRetentionPolicy: false).Apply(new ManifestOptions());
        var old = One<V1StatefulSet>(Generate(Resource(), before123), "rfr-redis-example").Spec;
        Assert.Null(old.PersistentVolumeClaimRetentionPolicy);
        Assert.Equal(RedisStatefulSet.TemplateHashOf(One<V1StatefulSet>(Generate(Resource()), "rfr-redis-example")),
            RedisStatefulSet.TemplateHashOf(One<V1StatefulSet>(Generate(Resource(), before123), "rfr-redis-example")));
    }

    [Theory]
    [InlineData("t1.nano", "250m", "25m", "128Mi")]
    [InlineData("small", "1", "100m", "512Mi")]
    [InlineData("u1.medium", "2", "200m", "8Gi")]
    public void RequestsAreDerivedAsOnTheReferencePlatform(string preset, string cpuLimit, string cpuRequest, string memory)
    {
        var resources = One<V1StatefulSet>(Generate(Resource(s => s.ResourcesPreset = preset)), "rfr-redis-example").Spec.Template.Spec.Containers[0].Resources;
        Assert.Equal(cpuLimit, resources.Limits["cpu"].ToString());
        Assert.Equal(cpuRequest, resources.Requests["cpu"].ToString());
        Assert.Equal(memory, resources.Limits["memory"].ToString());
        Assert.Equal(memory, resources.Requests["memory"].ToString());
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    public void RedisBudgetAllowsOneDisruption(int replicas, int minAvailable) =>
        Assert.Equal(minAvailable, DisruptionBudgets.RedisMinAvailable(replicas));

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(3, 2, 2)]
    [InlineData(5, 3, 3)]
    [InlineData(5, 5, 4)]
    public void SentinelBudgetKeepsTheMajorityButNeverBlocksADrain(int sentinels, int quorum, int minAvailable) =>
        Assert.Equal(minAvailable, DisruptionBudgets.SentinelMinAvailable(sentinels, quorum));

    [Fact]
    public void PodsSpreadOverZonesAndAreConfinedToListedZones()
    {
        var open = PodSpecs(Generate(Resource())).First();
        Assert.Contains(open.TopologySpreadConstraints, c => c.TopologyKey == "topology.kubernetes.io/zone" && c.WhenUnsatisfiable == "ScheduleAnyway");
        Assert.Null(open.Affinity);

        var zoned = PodSpecs(Generate(Resource(s => s.Zones = ["a", "b", "c"]))).First();
        Assert.Contains(zoned.TopologySpreadConstraints, c => c.TopologyKey == "topology.kubernetes.io/zone" && c.WhenUnsatisfiable == "DoNotSchedule");
        var term = Assert.Single(zoned.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
        Assert.Equal(["a", "b", "c"], Assert.Single(term.MatchExpressions).Values);
    }

    [Fact]
    public void ExporterSidecarIsOptional()
    {
        Assert.Equal(2, One<V1StatefulSet>(Generate(Resource()), "rfr-redis-example").Spec.Template.Spec.Containers.Count);
        Assert.Single(One<V1StatefulSet>(Generate(Resource(), new ManifestOptions { ExporterByDefault = false }), "rfr-redis-example").Spec.Template.Spec.Containers);
        var annotated = Resource();
        annotated.Metadata.Annotations[Annotations.Exporter] = "false";
        Assert.Single(One<V1StatefulSet>(Generate(annotated), "rfr-redis-example").Spec.Template.Spec.Containers);
    }

    [Fact]
    public void VersionPicksTheImage()
    {
        Assert.StartsWith("redis:8", One<V1StatefulSet>(Generate(Resource()), "rfr-redis-example").Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal);
        Assert.StartsWith("redis:7", One<V1StatefulSet>(Generate(Resource(s => s.Version = "v7")), "rfr-redis-example").Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal);
    }

    [Fact]
    public void RedisUpdatesOnlyWhenTheHealerRestartsAPod()
    {
        var set = One<V1StatefulSet>(Generate(Resource()), "rfr-redis-example").Spec;
        Assert.Equal("OnDelete", set.UpdateStrategy.Type);
        Assert.Equal("Parallel", set.PodManagementPolicy);
    }
}
