using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Crd;

/// <summary>
/// What the CRD says about each spec field beyond its type, keyed by field path. Ranges, enums and defaults come
/// from the model (<see cref="SpecLimits"/>, <see cref="SpecDefaults"/>, <see cref="Model.Presets"/>), so the CRD and
/// the model's validator reject the same values; what the model keeps only in code (quantity and name syntax,
/// the quorum's range) is stated here. Defaults are the Kubernetes ones: <c>version</c> defaults to v8 here, while
/// the local platform leaves it unset.
/// </summary>
public static class SpecRules
{
    public const string QuantityPattern = @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";
    public const string OptionalQuantityPattern = @"^$|" + QuantityPattern;
    public const string DnsLabelPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    public const string DnsSubdomainPattern = @"^$|" + ObjectNamePattern;
    public const string ObjectNamePattern = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    public const string KubernetesDefaultVersion = "v8";

    private static FieldRule Quantity(string description) => new(description) { IntOrString = true, Pattern = QuantityPattern };

    public static IReadOnlyDictionary<string, FieldRule> Fields { get; } = new Dictionary<string, FieldRule>
    {
        ["replicas"] = new("Redis data nodes: one master and replicas-1 replicas.")
        {
            Default = SpecDefaults.Replicas, Minimum = SpecLimits.Replicas.Min, Maximum = SpecLimits.Replicas.Max,
        },
        ["size"] = new("Storage per node; empty means no persistence (a pure cache).") { Default = SpecDefaults.Size, IntOrString = true, Pattern = OptionalQuantityPattern },
        ["storageClass"] = new("StorageClass of the data volumes; empty uses the cluster default.")
        {
            Default = SpecDefaults.StorageClass, Pattern = DnsSubdomainPattern, MaxLength = 253, Immutable = true,
        },
        ["resources"] = new("CPU and memory limits per node; a missing key comes from resourcesPreset."),
        ["resources.cpu"] = Quantity("CPU limit per node."),
        ["resources.memory"] = Quantity("Memory limit per node."),
        ["resourcesPreset"] = new("Sizing preset used for what resources leaves out.") { Default = SpecDefaults.ResourcesPreset, Enum = Model.Presets.Names },
        ["external"] = new("Expose the master outside the cluster through a LoadBalancer Service.") { Default = SpecDefaults.External },
        ["version"] = new("Redis major version.") { Default = KubernetesDefaultVersion, Enum = SpecLimits.Versions },
        ["authEnabled"] = new("Password authentication for clients, replicas and Sentinels.") { Default = SpecDefaults.AuthEnabled },
        ["persistenceMode"] = new("rdb snapshots, aof log, both, or none; the default follows size.") { Enum = SpecLimits.PersistenceModes },
        ["maxmemory"] = Quantity("Redis maxmemory; defaults to 80% of the memory limit."),
        ["maxmemoryPolicy"] = new("Eviction policy when maxmemory is reached.") { Enum = SpecLimits.MaxmemoryPolicies },
        ["minReplicasToWrite"] = new("The master refuses writes with fewer connected replicas than this.") { Minimum = 0 },
        ["minReplicasMaxLag"] = new("Seconds of lag after which a replica no longer counts for minReplicasToWrite.")
        {
            Minimum = SpecLimits.MinReplicasMaxLag.Min, Maximum = SpecLimits.MinReplicasMaxLag.Max,
        },
        ["tls"] = new("TLS for client connections."),
        ["tls.enabled"] = new("Serve TLS."),
        ["sentinel"] = new("Redis Sentinel, which watches the master and fails over.") { Default = new Dictionary<string, object>() },
        ["sentinel.replicas"] = new("Number of Sentinels.")
        {
            Default = SpecDefaults.SentinelReplicas, Minimum = SpecLimits.SentinelReplicas.Min, Maximum = SpecLimits.SentinelReplicas.Max,
        },
        ["sentinel.quorum"] = new("Sentinels that must agree the master is down; defaults to a majority.")
        {
            Minimum = 1, Maximum = SpecLimits.SentinelReplicas.Max,
        },
        ["sentinel.downAfterMilliseconds"] = new("How long the master may be unreachable before a Sentinel calls it down.")
        {
            Default = SpecDefaults.DownAfterMilliseconds, Minimum = SpecLimits.DownAfterMilliseconds.Min, Maximum = SpecLimits.DownAfterMilliseconds.Max,
        },
        ["sentinel.failoverTimeout"] = new("Sentinel failover-timeout in milliseconds.")
        {
            Default = SpecDefaults.FailoverTimeout, Minimum = SpecLimits.FailoverTimeout.Min, Maximum = SpecLimits.FailoverTimeout.Max,
        },
        ["sentinel.resources"] = new("CPU and memory limits per Sentinel; defaults to the nodes' size."),
        ["sentinel.resources.cpu"] = Quantity("CPU limit per Sentinel."),
        ["sentinel.resources.memory"] = Quantity("Memory limit per Sentinel."),
        ["zones"] = new("Zones (topology.kubernetes.io/zone) to place nodes in, spread round-robin.")
        {
            Items = new FieldRule("A zone name.") { Pattern = DnsLabelPattern, MaxLength = 63 },
        },
        ["backup"] = new("Scheduled backups (a Redoubt extension, off unless set). On Kubernetes the operator runs them as Jobs into an S3-compatible bucket (s3 is required there)."),
        ["backup.schedule"] = new("When to take a backup: a five-field cron expression in UTC, or @hourly, @daily, @weekly, @monthly.") { MaxLength = 100 },
        ["backup.retention"] = new("How many good backups to keep, newest first.")
        {
            Default = SpecDefaults.BackupRetention, Minimum = SpecLimits.BackupRetention.Min, Maximum = SpecLimits.BackupRetention.Max,
        },
        ["backup.s3"] = new("An S3-compatible bucket for the backups (objects PREFIX NAMESPACE/NAME/ID.rdb and ID.json); unset, a directory under the control plane's home (local platform only)."),
        ["backup.s3.endpoint"] = new("The S3-compatible server, http(s)://host[:port]; unset, Amazon S3 in the region.") { Pattern = S3Names.EndpointPattern, MaxLength = 253 },
        ["backup.s3.bucket"] = new("The bucket.") { Pattern = S3Names.BucketPattern },
        ["backup.s3.region"] = new("The signing region; default us-east-1.") { Pattern = S3Names.RegionPattern },
        ["backup.s3.prefix"] = new("Put before every object's key, e.g. prod/redis/.") { Pattern = S3Names.PrefixPattern, MaxLength = 512 },
        ["backup.s3.credentialsFile"] = new("Local platform: an AWS shared credentials file on the control plane's machine (its [default] profile); unset, the usual AWS credentials.") { MaxLength = 4096 },
        ["backup.s3.credentialsSecret"] = new("Kubernetes: a Secret in this namespace whose key credentials is an AWS shared credentials file (its [default] profile); the backup Jobs mount it.") { Pattern = ObjectNamePattern, MaxLength = 253 },
    };
}
