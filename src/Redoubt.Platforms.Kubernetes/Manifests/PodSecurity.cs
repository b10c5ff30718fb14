using k8s.Models;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// Every container runs as the redis image's unprivileged user with a read-only root filesystem and no
/// capabilities; the only writable paths are the data volume, the Sentinel's config copy and /tmp.
/// </summary>
public static class PodSecurity
{
    /// <summary>The uid/gid of the "redis" user in the official images, so the data volume stays theirs.</summary>
    public const long RedisUser = 999;

    public static V1PodSecurityContext Pod() => new()
    {
        RunAsNonRoot = true,
        RunAsUser = RedisUser,
        RunAsGroup = RedisUser,
        FsGroup = RedisUser,
        FsGroupChangePolicy = "OnRootMismatch",
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1SecurityContext Container() => new()
    {
        RunAsNonRoot = true,
        ReadOnlyRootFilesystem = true,
        AllowPrivilegeEscalation = false,
        Privileged = false,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };
}
