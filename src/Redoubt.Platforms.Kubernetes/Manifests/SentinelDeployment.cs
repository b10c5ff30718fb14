using k8s.Models;
using Redoubt.Core.Planning;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// The Sentinels. Sentinel rewrites its config file, so an init container copies the ConfigMap's file into a
/// writable volume (as the reference operator does) and appends the auth snippet from the Secret. The shared file has
/// no <c>sentinel myid</c>, so each pod picks its own id. Rolling updates replace one Sentinel at a time.
/// </summary>
public static class SentinelDeployment
{
    public const string ContainerName = "sentinel";
    public const string InitContainerName = "sentinel-config-copy";

    private static List<V1VolumeMount> SentinelMounts =>
    [
        new() { Name = "sentinel-config-writable", MountPath = ConfigFiles.SentinelDirectory },
        new() { Name = "tmp", MountPath = "/tmp" },
    ];

    public static V1Deployment Build(ResourcePlan plan, ObjectNames names, ManifestOptions options, string configHash)
    {
        var spec = plan.Spec;
        var selector = Labels.Selector(names, Labels.ComponentSentinel);
        var image = options.ImageFor(spec.Version);
        var volumes = new List<V1Volume>
        {
            new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = names.SentinelConfigMap } },
            new() { Name = "sentinel-config-writable", EmptyDir = new V1EmptyDirVolumeSource() },
            new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
        };
        var initMounts = new List<V1VolumeMount>
        {
            new() { Name = "config", MountPath = ConfigFiles.ConfigDirectory, ReadOnlyProperty = true },
            new() { Name = "sentinel-config-writable", MountPath = ConfigFiles.SentinelDirectory },
        };
        // The users and logins come from the auth Secret, whatever authEnabled says (Redoubt's own users always exist).
        // umask 077: the copy holds the Sentinel's logins in clear, and Sentinel rewrites it with the process umask.
        volumes.Add(RedisStatefulSet.AuthVolume(names, ConfigFiles.SentinelAuthKey));
        initMounts.Add(new V1VolumeMount { Name = "auth", MountPath = ConfigFiles.AuthDirectory, ReadOnlyProperty = true });
        if (spec.TlsEnabled)
        {
            volumes.Add(TlsSecrets.SentinelVolume(names));
        }

        var copy = $"umask 077 && cp {ConfigFiles.SentinelConfigPath} {ConfigFiles.SentinelWritablePath}"
            + $" && cat {ConfigFiles.AuthDirectory}/{ConfigFiles.SentinelAuthKey} >> {ConfigFiles.SentinelWritablePath}";

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = ObjectMetadata.Create(names.SentinelDeployment, plan.Namespace, Labels.ForComponent(names, Labels.ComponentSentinel), OwnerReferences.For(plan)),
            Spec = new V1DeploymentSpec
            {
                Replicas = spec.Sentinel.Replicas,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    // Never more than one Sentinel away, and no surge: a surplus Sentinel would change the majority.
                    RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 1, MaxSurge = 0 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = Labels.ForComponent(names, Labels.ComponentSentinel),
                        Annotations = Annotations.ForTemplate(plan, configHash),
                    },
                    Spec = new V1PodSpec
                    {
                        SecurityContext = PodSecurity.Pod(),
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        Affinity = Placement.Affinity(plan),
                        TopologySpreadConstraints = Placement.SpreadConstraints(plan, selector),
                        InitContainers =
                        [
                            new V1Container
                            {
                                Name = InitContainerName,
                                Image = image,
                                Command = ["sh", "-c", copy],
                                Resources = ContainerResources.Fixed("10m", "10m", "32Mi", "32Mi"),
                                SecurityContext = PodSecurity.Container(),
                                VolumeMounts = initMounts,
                            },
                        ],
                        Containers =
                        [
                            new V1Container
                            {
                                Name = ContainerName,
                                Image = image,
                                Command = ["redis-server"],
                                Args = [ConfigFiles.SentinelWritablePath, "--sentinel"],
                                Ports = [new V1ContainerPort { Name = Ports.SentinelName, ContainerPort = Ports.Sentinel, Protocol = "TCP" }],
                                ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = Ports.SentinelName }, PeriodSeconds = 5, TimeoutSeconds = 2 },
                                LivenessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = Ports.SentinelName }, InitialDelaySeconds = 30, PeriodSeconds = 10, TimeoutSeconds = 5, FailureThreshold = 6 },
                                Resources = ContainerResources.For(spec.Sentinel.Resources),
                                SecurityContext = PodSecurity.Container(),
                                VolumeMounts = spec.TlsEnabled
                                    ? [.. SentinelMounts, TlsSecrets.Mount()]
                                    : SentinelMounts,
                            },
                        ],
                        Volumes = volumes,
                    },
                },
            },
        };
    }
}
