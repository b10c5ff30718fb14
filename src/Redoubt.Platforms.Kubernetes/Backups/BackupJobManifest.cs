using k8s.Models;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Backups;

/// <summary>
/// The Job that runs one <see cref="BackupTask"/>: the operator's image running <c>redoubt backup-job</c>, the task
/// in its environment, with the redis-server of the resource's own Redis image (copied in by an init container, so the
/// snapshot is checked and loaded by the Redis version that wrote it: an older redis-check-rdb refuses a newer RDB
/// format), and mounted read-only only what the task needs: the admin password (one key of the auth
/// Secret), the bucket's credentials (the Secret the spec names), the CA and, for a restore into a TLS resource, the
/// master's certificate. No ServiceAccount token: the Job talks to Redis and the bucket, never to the API server.
/// </summary>
public static class BackupJobManifest
{
    public const string ActionLabel = "redoubt.io/backup-job";
    public const string ScheduledLabel = "redoubt.io/scheduled";
    public const string Container = "backup";

    /// <summary>A Job is given up after this long (a 1 GiB backup takes well under a minute here).</summary>
    public const long DeadlineSeconds = 3600;

    /// <summary>The operator image's non-root user (the Dockerfile's USER).</summary>
    public const long JobUser = 65532;

    public static V1Job Build(BackupJobRequest request, string @namespace, ObjectNames names, V1OwnerReference? owner, string image, string redisImage)
    {
        var labels = Labels.Common(names);
        labels[ActionLabel] = request.Task.Action;
        if (request.Scheduled)
        {
            labels[ScheduledLabel] = "true";
        }

        var mounts = new List<V1VolumeMount>
        {
            new() { Name = "auth", MountPath = Path.GetDirectoryName(BackupJobPaths.AdminPassword), ReadOnlyProperty = true },
            new() { Name = "work", MountPath = BackupJobPaths.Work },
            new() { Name = "bin", MountPath = BackupJobPaths.Binaries, ReadOnlyProperty = true },
        };
        var volumes = new List<V1Volume>
        {
            new()
            {
                Name = "auth",
                Secret = new V1SecretVolumeSource
                {
                    SecretName = names.AuthSecret,
                    DefaultMode = 256,
                    Items = [new V1KeyToPath { Key = ConfigFiles.AdminPasswordKey, Path = Path.GetFileName(BackupJobPaths.AdminPassword) }],
                },
            },
            new() { Name = "work", EmptyDir = new V1EmptyDirVolumeSource() },
            new() { Name = "bin", EmptyDir = new V1EmptyDirVolumeSource() },
        };
        if (request.CredentialsSecret is { } credentials)
        {
            mounts.Add(new V1VolumeMount { Name = "s3", MountPath = BackupJobPaths.CredentialsDirectory, ReadOnlyProperty = true });
            volumes.Add(new V1Volume
            {
                Name = "s3",
                Secret = new V1SecretVolumeSource
                {
                    SecretName = credentials,
                    DefaultMode = 256,
                    Items = [new V1KeyToPath { Key = BackupJobPaths.CredentialsKey, Path = Path.GetFileName(BackupJobPaths.Credentials) }],
                },
            });
        }

        if (request.Task.Tls)
        {
            List<V1KeyToPath> items = [new() { Key = TlsSecrets.AuthorityKey, Path = Path.GetFileName(BackupJobPaths.Authority) }];
            if (request.CertificatePod is { } pod)
            {
                items.Add(new V1KeyToPath { Key = TlsSecrets.CertificateKeyOf(pod), Path = Path.GetFileName(BackupJobPaths.Certificate) });
                items.Add(new V1KeyToPath { Key = TlsSecrets.PrivateKeyOf(pod), Path = Path.GetFileName(BackupJobPaths.Key) });
            }

            mounts.Add(new V1VolumeMount { Name = TlsSecrets.VolumeName, MountPath = BackupJobPaths.TlsDirectory, ReadOnlyProperty = true });
            volumes.Add(new V1Volume { Name = TlsSecrets.VolumeName, Secret = new V1SecretVolumeSource { SecretName = names.TlsSecret, DefaultMode = 256, Items = items } });
        }

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = ObjectMetadata.Create(request.Name, @namespace, labels, owner),
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                ActiveDeadlineSeconds = DeadlineSeconds,
                Template = new V1PodTemplateSpec
                {
                    // Not the resource's labels: the operator's pod watch must not take a Job's pod for a Redis node.
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { [ActionLabel] = request.Task.Action } },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = JobUser,
                            RunAsGroup = JobUser,
                            FsGroup = JobUser,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        InitContainers =
                        [
                            new V1Container
                            {
                                Name = "redis-binaries",
                                Image = redisImage,
                                ImagePullPolicy = "IfNotPresent",
                                // redis-server runs as redis-check-rdb when called by that name.
                                Command = ["sh", "-c", $"cp \"$$(command -v redis-server)\" {BackupJobPaths.Binaries}/redis-server && ln -sf redis-server {BackupJobPaths.Binaries}/redis-check-rdb"],
                                VolumeMounts = [new V1VolumeMount { Name = "bin", MountPath = BackupJobPaths.Binaries }],
                                SecurityContext = PodSecurity.Container(),
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("16Mi") },
                                },
                            },
                        ],
                        Containers =
                        [
                            new V1Container
                            {
                                Name = Container,
                                Image = image,
                                ImagePullPolicy = "IfNotPresent",
                                Args = ["backup-job", "--redis-bin", BackupJobPaths.Binaries],
                                Env =
                                [
                                    new V1EnvVar { Name = BackupTask.EnvironmentVariable, Value = request.Task.ToJson() },
                                    new V1EnvVar { Name = "DOTNET_gcServer", Value = "0" },
                                    // The root filesystem is read-only: anything a library keeps goes to the work volume.
                                    new V1EnvVar { Name = "TMPDIR", Value = BackupJobPaths.Work },
                                    new V1EnvVar { Name = "HOME", Value = BackupJobPaths.Work },
                                ],
                                VolumeMounts = mounts,
                                SecurityContext = PodSecurity.Container(),
                                TerminationMessagePolicy = "FallbackToLogsOnError",
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m"), ["memory"] = new("64Mi") },
                                },
                            },
                        ],
                        Volumes = volumes,
                    },
                },
            },
        };
    }
}
