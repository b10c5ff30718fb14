using k8s;
using k8s.Models;
using Redoubt.Core.Planning;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>Generates a resource's desired objects from its plan. Pure: same plan and options, same objects; the plan carries all it needs of the resource.</summary>
public static class ManifestGenerator
{
    public static DesiredObjects Generate(ResourcePlan plan, ManifestOptions options)
    {
        var names = new ObjectNames(plan.Name);
        var ns = plan.Namespace;
        var owner = OwnerReferences.For(plan);
        var zones = ConfigFiles.ZonesOf(plan);
        var exporter = Annotations.Flag(plan.Annotations, Annotations.Exporter) ?? options.ExporterByDefault;

        var redisConfig = ConfigFiles.RedisConfig(plan, names, zones);
        var sentinelConfig = ConfigFiles.SentinelConfig(plan, names, zones);
        var redisConf = RedisConfigRenderer.RenderRedis(redisConfig);
        var sentinelConf = RedisConfigRenderer.RenderSentinel(sentinelConfig);

        var applied = new List<IKubernetesObject<V1ObjectMeta>>
        {
            ConfigMap(names.RedisConfigMap, ns, Labels.ForComponent(names, Labels.ComponentRedis), owner, ConfigFiles.RedisConfigKey, redisConf),
            ConfigMap(names.SentinelConfigMap, ns, Labels.ForComponent(names, Labels.ComponentSentinel), owner, ConfigFiles.SentinelConfigKey, sentinelConf),
            RedisServices.Headless(plan, names, exporter),
            RedisServices.Master(plan, names),
            RedisServices.Replicas(plan, names),
            RedisServices.Sentinel(plan, names),
            // Only what a restart applies: a new maxmemory or Sentinel timer is set at run time and restarts no pod.
            RedisStatefulSet.Build(plan, names, options, exporter, Revisions.OfRedis(redisConfig)),
            SentinelDeployment.Build(plan, names, options, Revisions.OfSentinel(sentinelConfig)),
            DisruptionBudgets.Redis(plan, names),
            DisruptionBudgets.Sentinel(plan, names),
        };
        var obsolete = new List<(string, string)>();
        if (plan.Spec.External)
        {
            applied.Add(RedisServices.External(plan, names));
        }
        else
        {
            obsolete.Add(("Service", names.ExternalService));
        }

        return new DesiredObjects
        {
            Names = names,
            AuthSecret = AuthSecret.Build(plan, names, secrets: null),
            TlsSecrets = TlsSecrets.Build(plan, names),
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
