using YamlDotNet.RepresentationModel;

namespace Redoubt.Model;

/// <summary>
/// Converts one YAML document into a <see cref="RedisResource"/> by hand rather than with a deserializer, so that
/// unknown fields, wrong types and their lines are all reported. Values are checked afterwards by the validator.
/// </summary>
internal static class ResourceReader
{
    private static readonly string[] TopFields = ["apiVersion", "kind", "metadata", "spec", "status"];

    /// <summary>Reported by Redoubt itself, so that the output of <c>get -o yaml</c> can be applied again.</summary>
    private static readonly HashSet<string> TopIgnored = ["status"];

    private static readonly string[] MetadataFields = ["name", "namespace", "labels", "annotations"];

    /// <summary>What <c>kubectl get -o yaml</c> emits and the server owns: accepted, never taken from the user.</summary>
    private static readonly HashSet<string> MetadataIgnored =
        ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "finalizers", "ownerReferences"];

    private static readonly string[] SpecFields =
    [
        "replicas", "size", "storageClass", "resources", "resourcesPreset", "external", "version", "authEnabled",
        "persistenceMode", "maxmemory", "maxmemoryPolicy", "minReplicasToWrite", "minReplicasMaxLag", "tls", "sentinel", "zones",
        "backup",
    ];

    private static readonly string[] ResourceFields = ["cpu", "memory"];
    private static readonly string[] TlsFields = ["enabled"];
    private static readonly string[] SentinelFields = ["replicas", "quorum", "downAfterMilliseconds", "failoverTimeout", "resources"];
    private static readonly string[] BackupFields = ["schedule", "retention", "s3"];
    private static readonly string[] S3Fields = ["endpoint", "bucket", "region", "prefix", "credentialsFile", "credentialsSecret"];

    /// <summary>The resource, or null when the document is not even a mapping (reported).</summary>
    public static RedisResource? Read(YamlNode root, ErrorCollector errors)
    {
        var reader = new NodeReader(errors);
        var top = reader.Mapping(root, "", TopFields, TopIgnored);
        if (top is null)
        {
            return null;
        }

        var metadata = reader.Mapping(top, "metadata", MetadataFields, MetadataIgnored);
        return new RedisResource
        {
            ApiVersion = reader.String(top, "apiVersion", RedisResource.ApiVersionValue) ?? "",
            Kind = reader.String(top, "kind", RedisResource.KindValue) ?? "",
            Metadata = new ObjectMeta
            {
                Name = reader.String(metadata, "name", Expected.Name) ?? "",
                Namespace = reader.String(metadata, "namespace", Expected.Namespace) ?? new ObjectMeta().Namespace,
                Labels = reader.StringMap(metadata, "labels", Expected.LabelValue) ?? [],
                Annotations = reader.StringMap(metadata, "annotations", Expected.String) ?? [],
            },
            Spec = Spec(reader, reader.Mapping(top, "spec", SpecFields)),
        };
    }

    private static RedisSpec Spec(NodeReader reader, Fields? spec)
    {
        var tls = reader.Mapping(spec, "tls", TlsFields);
        return new RedisSpec
        {
            Replicas = reader.Int(spec, "replicas", SpecLimits.Replicas.ToString()),
            Size = reader.Quantity(spec, "size", Expected.Size),
            StorageClass = reader.String(spec, "storageClass", Expected.StorageClass),
            Resources = Resources(reader, reader.Mapping(spec, "resources", ResourceFields)),
            ResourcesPreset = reader.String(spec, "resourcesPreset", Expected.Preset),
            External = reader.Bool(spec, "external"),
            Version = reader.String(spec, "version", Expected.Version),
            AuthEnabled = reader.Bool(spec, "authEnabled"),
            PersistenceMode = reader.String(spec, "persistenceMode", Expected.PersistenceMode),
            Maxmemory = reader.Quantity(spec, "maxmemory", Expected.Maxmemory),
            MaxmemoryPolicy = reader.String(spec, "maxmemoryPolicy", Expected.MaxmemoryPolicy),
            MinReplicasToWrite = reader.Int(spec, "minReplicasToWrite", Expected.MinReplicasToWrite),
            MinReplicasMaxLag = reader.Int(spec, "minReplicasMaxLag", SpecLimits.MinReplicasMaxLag.ToString()),
            Tls = tls is null ? null : new TlsSpec { Enabled = reader.Bool(tls, "enabled") },
            Sentinel = Sentinel(reader, reader.Mapping(spec, "sentinel", SentinelFields)),
            Zones = reader.StringList(spec, "zones", Expected.Zones, Expected.Zone),
            Backup = Backup(reader, reader.Mapping(spec, "backup", BackupFields)),
        };
    }

    private static BackupSpec? Backup(NodeReader reader, Fields? backup) =>
        backup is null
            ? null
            : new BackupSpec
            {
                Schedule = reader.String(backup, "schedule", Expected.Schedule),
                Retention = reader.Int(backup, "retention", SpecLimits.BackupRetention.ToString()),
                S3 = S3(reader, reader.Mapping(backup, "s3", S3Fields)),
            };

    private static S3Destination? S3(NodeReader reader, Fields? s3) =>
        s3 is null
            ? null
            : new S3Destination
            {
                Endpoint = reader.String(s3, "endpoint", Expected.S3Endpoint),
                Bucket = reader.String(s3, "bucket", Expected.S3Bucket),
                Region = reader.String(s3, "region", Expected.S3Region),
                Prefix = reader.String(s3, "prefix", Expected.S3Prefix),
                CredentialsFile = reader.String(s3, "credentialsFile", Expected.CredentialsFile),
                CredentialsSecret = reader.String(s3, "credentialsSecret", Expected.CredentialsSecret),
            };

    private static ResourceLimits? Resources(NodeReader reader, Fields? resources) =>
        resources is null
            ? null
            : new ResourceLimits
            {
                Cpu = reader.Quantity(resources, "cpu", Expected.Cpu),
                Memory = reader.Quantity(resources, "memory", Expected.Memory),
            };

    private static SentinelSpec? Sentinel(NodeReader reader, Fields? sentinel) =>
        sentinel is null
            ? null
            : new SentinelSpec
            {
                Replicas = reader.Int(sentinel, "replicas", SpecLimits.SentinelReplicas.ToString()),
                Quorum = reader.Int(sentinel, "quorum", Expected.Quorum),
                DownAfterMilliseconds = reader.Int(sentinel, "downAfterMilliseconds", SpecLimits.DownAfterMilliseconds.ToString()),
                FailoverTimeout = reader.Int(sentinel, "failoverTimeout", SpecLimits.FailoverTimeout.ToString()),
                Resources = Resources(reader, reader.Mapping(sentinel, "resources", ResourceFields)),
            };
}
