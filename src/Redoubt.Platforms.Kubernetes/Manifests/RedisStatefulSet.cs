using k8s.Models;
using Redoubt.Core.Access;
using Redoubt.Core.Planning;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// The Redis data nodes. Pods boot as replicas of themselves (<c>--replicaof $(POD_IP) 6379</c>, expanded by the
/// kubelet, no shell) so none comes up as a master on its own; the healer, through the Sentinels, decides. Updates
/// are OnDelete: the healer restarts one pod at a time, replicas first, so a template change never takes the master
/// down by surprise.
/// </summary>
public static class RedisStatefulSet
{
    public const string ContainerName = "redis";
    public const string ExporterContainerName = "redis-exporter";
    public const string DataVolume = "redisfailover-persistent-data";

    public static V1StatefulSet Build(ResourcePlan plan, ObjectNames names, ManifestOptions options, bool exporter, string configHash)
    {
        var spec = plan.Spec;
        var selector = Labels.Selector(names, Labels.ComponentRedis);
        var volumes = new List<V1Volume>
        {
            new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = names.RedisConfigMap } },
            new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
        };
        var mounts = new List<V1VolumeMount>
        {
            new() { Name = "config", MountPath = ConfigFiles.ConfigDirectory, ReadOnlyProperty = true },
            new() { Name = DataVolume, MountPath = ConfigFiles.DataDirectory },
            new() { Name = "tmp", MountPath = "/tmp" },
        };
        volumes.Add(AuthVolume(names, ConfigFiles.RedisAuthKey));
        mounts.Add(new V1VolumeMount { Name = "auth", MountPath = ConfigFiles.AuthDirectory, ReadOnlyProperty = true });
        if (spec.TlsEnabled)
        {
            volumes.Add(TlsSecrets.RedisVolume(names));
            mounts.Add(TlsSecrets.Mount());
        }

        if (spec.SizeBytes is null)
        {
            // size "" is a pure cache: no claim, the data directory lives and dies with the pod.
            volumes.Add(new V1Volume { Name = DataVolume, EmptyDir = new V1EmptyDirVolumeSource() });
        }

        var containers = new List<V1Container> { RedisContainer(plan, options, mounts) };
        if (exporter)
        {
            containers.Add(ExporterContainer(names, options, spec.TlsEnabled));
        }

        var statefulSet = new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = ObjectMetadata.Create(names.RedisStatefulSet, plan.Namespace, Labels.ForComponent(names, Labels.ComponentRedis), OwnerReferences.For(plan)),
            Spec = new V1StatefulSetSpec
            {
                ServiceName = names.RedisHeadlessService,
                Replicas = spec.Replicas,
                PodManagementPolicy = "Parallel",
                UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" },
                Selector = new V1LabelSelector { MatchLabels = selector },
                // Deleting the resource deletes its data, as on the reference platform; scaling down keeps it. Servers
                // before 1.23 cannot apply the field: there the claims stay after a delete.
                PersistentVolumeClaimRetentionPolicy = options.PvcRetentionPolicy
                    ? new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Delete", WhenScaled = "Retain" }
                    : null,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = Labels.ForComponent(names, Labels.ComponentRedis),
                        Annotations = Annotations.ForTemplate(plan, configHash),
                    },
                    Spec = new V1PodSpec
                    {
                        SecurityContext = PodSecurity.Pod(),
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        TerminationGracePeriodSeconds = 30,
                        Affinity = Placement.Affinity(plan),
                        TopologySpreadConstraints = Placement.SpreadConstraints(plan, selector),
                        Containers = containers,
                        Volumes = volumes,
                    },
                },
                VolumeClaimTemplates = spec.SizeBytes is null ? null : [ClaimTemplate(names, spec)],
            },
        };
        var template = statefulSet.Spec.Template;
        template.Metadata.Annotations[Annotations.TemplateHash] = ContentHash.Of(k8s.KubernetesJson.Serialize(template));
        return statefulSet;
    }

    /// <summary>The template hash every pod of the StatefulSet should carry.</summary>
    public static string TemplateHashOf(V1StatefulSet statefulSet) => statefulSet.Spec.Template.Metadata.Annotations[Annotations.TemplateHash];

    private static V1Container RedisContainer(ResourcePlan plan, ManifestOptions options, List<V1VolumeMount> mounts) => new()
    {
        Name = ContainerName,
        Image = options.ImageFor(plan.Spec.Version),
        Command = ["redis-server"],
        Args = plan.Spec.TlsEnabled
            // One redis.conf serves every pod; each pod's own certificate and key (paths, no secret) come from its name.
            // A TLS pod parks at port 0 of its own IP (see RedisConfigRenderer.ParkPort).
            ? [ConfigFiles.RedisConfigPath, "--replicaof", "$(POD_IP)", "0", "--tls-cert-file", $"{ConfigFiles.TlsDirectory}/{TlsSecrets.CertificateKeyOf("$(POD_NAME)")}", "--tls-key-file", $"{ConfigFiles.TlsDirectory}/{TlsSecrets.PrivateKeyOf("$(POD_NAME)")}"]
            : BaseArgs,
        Env = plan.Spec.TlsEnabled
            ? [PodIp, new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } }]
            : [PodIp],
        Ports = [new V1ContainerPort { Name = Ports.RedisName, ContainerPort = Ports.Redis, Protocol = "TCP" }],
        // A TCP check needs no password on a command line; whether the node holds data is the healer's question.
        ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = Ports.RedisName }, PeriodSeconds = 5, TimeoutSeconds = 2 },
        LivenessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = Ports.RedisName }, InitialDelaySeconds = 30, PeriodSeconds = 10, TimeoutSeconds = 5, FailureThreshold = 6 },
        Resources = ContainerResources.For(plan.Spec.Resources),
        SecurityContext = PodSecurity.Container(),
        VolumeMounts = mounts,
    };

    private static readonly List<string> BaseArgs = [ConfigFiles.RedisConfigPath, "--replicaof", "$(POD_IP)", Ports.Redis.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    private static V1EnvVar PodIp => new() { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } };

    /// <summary>
    /// The exporter logs in as Redoubt's admin user: the application user may not read CONFIG, SLOWLOG or LATENCY,
    /// which the exporter reports.
    /// </summary>
    private static V1Container ExporterContainer(ObjectNames names, ManifestOptions options, bool tls)
    {
        var env = new List<V1EnvVar>
        {
            // With TLS, localhost is among the pod certificate's names, and the exporter checks it against the CA.
            new() { Name = "REDIS_ADDR", Value = $"{(tls ? "rediss" : "redis")}://localhost:{Ports.Redis}" },
            new() { Name = "REDIS_EXPORTER_LOG_FORMAT", Value = "txt" },
            new() { Name = "REDIS_USER", Value = AclUsers.Admin },
            // A reference to the Secret, never the value.
            new()
            {
                Name = "REDIS_PASSWORD",
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = names.AuthSecret, Key = ConfigFiles.AdminPasswordKey } },
            },
        };

        if (tls)
        {
            env.Add(new V1EnvVar { Name = "REDIS_EXPORTER_TLS_CA_CERT_FILE", Value = $"{ConfigFiles.TlsDirectory}/{TlsSecrets.AuthorityKey}" });
        }

        return new V1Container
        {
            Name = ExporterContainerName,
            Image = options.ExporterImage,
            Env = env,
            VolumeMounts = tls ? [TlsSecrets.Mount()] : null,
            Ports = [new V1ContainerPort { Name = Ports.ExporterName, ContainerPort = Ports.Exporter, Protocol = "TCP" }],
            Resources = ContainerResources.Fixed("25m", "50m", "50Mi", "100Mi"),
            SecurityContext = PodSecurity.Container(),
        };
    }

    private static V1PersistentVolumeClaim ClaimTemplate(ObjectNames names, EffectiveSpec spec) => new()
    {
        Metadata = new V1ObjectMeta { Name = DataVolume, Labels = Labels.Common(names) },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = string.IsNullOrEmpty(spec.StorageClass) ? null : spec.StorageClass,
            Resources = new V1VolumeResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(spec.Size) },
            },
        },
    };

    internal static V1Volume AuthVolume(ObjectNames names, string key) => new()
    {
        Name = "auth",
        Secret = new V1SecretVolumeSource
        {
            SecretName = names.AuthSecret,
            Items = [new V1KeyToPath { Key = key, Path = key }],
            // Readable by the redis group (fsGroup) only.
            DefaultMode = 288,
        },
    };
}
