using k8s;
using k8s.Models;
using Redoubt.Core.Planning;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>Generates a resource's desired objects from its plan. Pure: same resource, plan and options, same objects.</summary>
public static class ManifestGenerator
{
    public static DesiredObjects Generate(RedisResource resource, ResourcePlan plan, ManifestOptions options)
    {
        var names = new ObjectNames(resource.Metadata.Name);
        var ns = resource.Metadata.Namespace;
        var owner = OwnerReferences.For(resource);
        var zones = ConfigFiles.ZonesOf(resource);
        var exporter = Annotations.Flag(resource.Metadata.Annotations, Annotations.Exporter) ?? options.ExporterByDefault;

        var redisConfig = ConfigFiles.RedisConfig(plan, names, zones);
        var sentinelConfig = ConfigFiles.SentinelConfig(plan, names, zones);
        var redisConf = RedisConfigRenderer.RenderRedis(redisConfig);
        var sentinelConf = RedisConfigRenderer.RenderSentinel(sentinelConfig);

        var applied = new List<IKubernetesObject<V1ObjectMeta>>
        {
            ConfigMap(names.RedisConfigMap, ns, Labels.ForComponent(names, Labels.ComponentRedis), owner, ConfigFiles.RedisConfigKey, redisConf),
            ConfigMap(names.SentinelConfigMap, ns, Labels.ForComponent(names, Labels.ComponentSentinel), owner, ConfigFiles.SentinelConfigKey, sentinelConf),
            RedisServices.Headless(resource, names, exporter),
            RedisServices.Master(resource, names),
            RedisServices.Replicas(resource, names),
            RedisServices.Sentinel(resource, names),
            // Only what a restart applies: a new maxmemory or Sentinel timer is set at run time and restarts no pod.
            RedisStatefulSet.Build(resource, plan, names, options, exporter, Revisions.OfRedis(redisConfig)),
            SentinelDeployment.Build(resource, plan, names, options, Revisions.OfSentinel(sentinelConfig)),
            DisruptionBudgets.Redis(resource, plan, names),
            DisruptionBudgets.Sentinel(resource, plan, names),
        };
        var obsolete = new List<(string, string)>();
        if (plan.Spec.External)
        {
            applied.Add(RedisServices.External(resource, names));
        }
        else
        {
            obsolete.Add(("Service", names.ExternalService));
        }

        if (!plan.Spec.AuthEnabled)
        {
            obsolete.Add(("Secret", names.AuthSecret));
        }

        return new DesiredObjects
        {
            Names = names,
            AuthSecret = plan.Spec.AuthEnabled ? AuthSecret.Build(resource, names, password: null) : null,
            Applied = applied,
            Obsolete = obsolete,
        };
    }

    private static V1ConfigMap ConfigMap(string name, string ns, Dictionary<string, string> labels, V1OwnerReference? owner, string key, string content) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = ObjectMetadata.Create(name, ns, labels, owner),
        Data = new Dictionary<string, string> { [key] = content },
    };
}
