using Redoubt.Core.Planning;
using Redoubt.Core.Platform;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// redis.conf and sentinel.conf for the ConfigMaps, from Core's one renderer. The password never reaches them:
/// Redis includes a file from the auth Secret, and the Sentinel's init container appends the Secret's snippet to
/// its writable copy. Nodes boot as replicas of themselves: the pod passes <c>--replicaof $(POD_IP)</c>.
/// </summary>
public static class ConfigFiles
{
    public const string ConfigDirectory = "/etc/redoubt";
    public const string AuthDirectory = "/etc/redoubt/auth";
    public const string RedisConfigKey = "redis.conf";
    public const string SentinelConfigKey = "sentinel.conf";
    public const string RedisAuthKey = "redis-auth.conf";
    public const string SentinelAuthKey = "sentinel-auth.conf";
    public const string PasswordKey = "password";
    public const string PasswordRotationKey = "password-rotation";
    public const string AdminPasswordKey = "admin-password";
    public const string ReplicationPasswordKey = "replication-password";
    public const string SentinelPasswordKey = "sentinel-password";
    public const string TlsDirectory = "/etc/redoubt/tls";
    public const string DataDirectory = "/data";
    public const string SentinelDirectory = "/sentinel";

    public static string RedisConfigPath => $"{ConfigDirectory}/{RedisConfigKey}";
    public static string SentinelConfigPath => $"{ConfigDirectory}/{SentinelConfigKey}";
    public static string SentinelWritablePath => $"{SentinelDirectory}/{SentinelConfigKey}";

    /// <summary>Every interface, IPv4 and (where the pod has it) IPv6: pods are reached by their pod IP.</summary>
    private static readonly string[] BindAll = ["*", "-::*"];

    public static string RenderRedis(ResourcePlan plan, ObjectNames names, string zones) => RedisConfigRenderer.RenderRedis(RedisConfig(plan, names, zones));

    public static string RenderSentinel(ResourcePlan plan, ObjectNames names, string zones) => RedisConfigRenderer.RenderSentinel(SentinelConfig(plan, names, zones));

    public static RedisNodeConfig RedisConfig(ResourcePlan plan, ObjectNames names, string zones) =>
        new()
        {
            Plan = plan,
            // One file serves every pod of the StatefulSet; which pod lands in which zone is the scheduler's choice.
            Node = new PlannedNode(NodeKind.Redis, names.RedisStatefulSet, 0, zones),
            Bind = BindAll,
            Port = Ports.Redis,
            DataDirectory = DataDirectory,
            LogFile = null,
            Secrets = null,
            ParkHost = null,
            ParkPort = null,
            // The users and logins, from the auth Secret: Redoubt's own users exist whatever authEnabled says.
            Includes = [$"{AuthDirectory}/{RedisAuthKey}"],
            // Each pod's own certificate and key are passed on its command line (see RedisStatefulSet).
            Tls = plan.Spec.TlsEnabled ? new TlsFiles(null, null, $"{TlsDirectory}/{TlsSecrets.AuthorityKey}") : null,
        };

    public static SentinelNodeConfig SentinelConfig(ResourcePlan plan, ObjectNames names, string zones) =>
        new()
        {
            Plan = plan,
            Node = new PlannedNode(NodeKind.Sentinel, names.SentinelDeployment, 0, zones),
            Bind = BindAll,
            Port = Ports.Sentinel,
            Directory = SentinelDirectory,
            LogFile = null,
            Secrets = null,
            // The healer points the Sentinels at the master it finds; no master is known when the file is written.
            Master = null,
            // None: the pods of a Deployment share this file, and Sentinels with one id ignore each other.
            MyId = null,
            // One certificate for every Sentinel pod: they are reached by the Sentinel Service's names.
            Tls = plan.Spec.TlsEnabled
                ? new TlsFiles($"{TlsDirectory}/{TlsSecrets.SentinelCertificateKey}", $"{TlsDirectory}/{TlsSecrets.SentinelKeyKey}", $"{TlsDirectory}/{TlsSecrets.AuthorityKey}")
                : null,
        };


    public static string ZonesOf(ResourcePlan plan) =>
        plan.RequestedZones is { Count: > 0 } zones ? string.Join(",", zones) : "any";
}
