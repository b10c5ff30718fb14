namespace Redoubt.Model;

/// <summary>What each field accepts, worded for error messages. Shared by the YAML reader (wrong types) and the validator (bad values), so both say the same.</summary>
internal static class Expected
{
    public const string Bool = "true or false";
    public const string String = "a string";
    public const string Mapping = "a mapping";
    public const string LabelValue = "a label value of at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
    public const string QualifiedKey = "a key of at most 63 characters (letters, digits, '-', '_' and '.'), optionally prefixed by a DNS-1123 subdomain and '/'";
    public const string Size = "a quantity greater than 0 such as 1Gi, or \"\" for no persistence";
    public const string Cpu = "a CPU quantity greater than 0 such as 500m or 2";
    public const string Memory = "a memory quantity of at least 32Mi such as 512Mi or 2Gi";
    public const string Maxmemory = "a quantity from 1Mi to the memory limit";
    public const string MinReplicasToWrite = "an integer from 0 to spec.replicas - 1";
    public const string Quorum = "an integer from 1 to spec.sentinel.replicas";
    public const string AnnotationValue = "a string of Unicode text (no half of a surrogate pair)";

    public static readonly string RestartedAt =
        $"one line of text (usually a time, as `redoubt restart` writes it) of at most {SpecLimits.MaxRestartedAtLength} characters, without control characters";

    public static readonly string Name =
        $"a DNS-1035 label of at most {SpecLimits.MaxNameLength} characters: {KubernetesNames.Dns1035LabelRule}";

    public static readonly string Namespace =
        $"a DNS-1123 label of at most {KubernetesNames.MaxLabelLength} characters: {KubernetesNames.Dns1123LabelRule}";

    public static readonly string StorageClass =
        $"\"\" or a DNS-1123 subdomain of at most {KubernetesNames.MaxSubdomainLength} characters: {KubernetesNames.Dns1123SubdomainRule}";

    public static readonly string Zone =
        $"a DNS-1123 label of at most {KubernetesNames.MaxLabelLength} characters: {KubernetesNames.Dns1123LabelRule}";

    public static readonly string Zones = $"a list of {SpecLimits.ZoneCount.Min} to {SpecLimits.ZoneCount.Max} zone names";
    public static readonly string Preset = OneOf(Presets.Names);
    public static readonly string Schedule = "a cron expression of five fields in UTC (minute hour day-of-month month day-of-week, e.g. \"0 3 * * *\" for 03:00 every day) or one of @hourly, @daily, @weekly, @monthly";
    public const string S3Endpoint = "an http:// or https:// address of an S3-compatible server, without user, password, path, query or fragment, e.g. http://127.0.0.1:9000";
    public const string S3Bucket = "a bucket name of 3 to 63 characters: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit";
    public const string S3Region = "a region name of at most 32 characters: lowercase letters, digits and '-', e.g. us-east-1";
    public const string S3Prefix = "a key prefix of at most 512 characters: letters, digits and ! - _ . * ' ( ) /, not starting with '/', e.g. prod/redis/";
    public const string CredentialsFile = "an absolute path to an AWS shared credentials file, on one line";
    public const string CredentialsSecret = "the name of a Secret in the resource's namespace (lower-case letters, digits, '-' and '.', at most 253 characters)";
    public static readonly string Version = OneOf(SpecLimits.Versions);
    public static readonly string PersistenceMode = OneOf(SpecLimits.PersistenceModes);
    public static readonly string MaxmemoryPolicy = OneOf(SpecLimits.MaxmemoryPolicies);

    public static string OneOf(IEnumerable<string> values) => $"one of {Show.List(values)}";
}
