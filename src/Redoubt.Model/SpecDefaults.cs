namespace Redoubt.Model;

/// <summary>The defaults of every spec field, and <see cref="Resolve"/>, which applies them.</summary>
public static class SpecDefaults
{
    /// <summary>The name the Sentinels monitor the master under, as on the reference platform.</summary>
    public const string MasterName = "mymaster";

    public const int Replicas = 2;
    public const string Size = "1Gi";
    public const string StorageClass = "";
    public const string ResourcesPreset = "t1.nano";
    public const bool External = false;
    public const bool AuthEnabled = true;
    public const int MaxmemoryPercent = 80;
    public const string MaxmemoryPolicy = "noeviction";
    public const int MinReplicasToWrite = 0;
    public const int MinReplicasMaxLag = 10;
    public const bool TlsEnabled = false;
    public const int SentinelReplicas = 3;

    /// <summary>The reference platform's setting; low enough to notice a hang quickly, high enough not to mistake load for one.</summary>
    public const int DownAfterMilliseconds = 1000;

    public const int FailoverTimeout = 3000;

    /// <summary>A week of daily backups.</summary>
    public const int BackupRetention = 7;

    /// <summary>The three sites of the reference deployment: Gland, Lucerne, Genève.</summary>
    public static readonly IReadOnlyList<string> DefaultZones = ["gland", "lucerne", "geneve"];

    /// <summary>A majority of the Sentinels, so that a minority partition can never fail over on its own.</summary>
    public static int Quorum(int sentinels) => (sentinels / 2) + 1;

    /// <summary>
    /// Applies every default. The spec must have passed validation (<see cref="ResourceLoader"/> or
    /// <see cref="ResourceValidator"/>): an unknown preset or a malformed quantity throws here.
    /// </summary>
    /// <param name="platform">What the platform defaults differently; the reference platform's when null.</param>
    /// <exception cref="ArgumentException">The spec names an unknown preset or holds a malformed quantity.</exception>
    public static EffectiveSpec Resolve(RedisSpec spec, PlatformDefaults? platform = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        platform ??= PlatformDefaults.Reference;
        var presetName = spec.ResourcesPreset ?? ResourcesPreset;
        if (!Presets.TryGet(presetName, out var preset))
        {
            throw new ArgumentException($"unknown resources preset \"{presetName}\"; validate the spec first", nameof(spec));
        }

        var resources = Merge(spec.Resources, preset);
        var size = spec.Size ?? Size;
        var sentinelReplicas = spec.Sentinel?.Replicas ?? SentinelReplicas;
        return new EffectiveSpec
        {
            Replicas = spec.Replicas ?? Replicas,
            Size = size,
            SizeBytes = size.Length == 0 ? null : Bytes(size, nameof(RedisSpec.Size)),
            StorageClass = spec.StorageClass ?? StorageClass,
            Resources = resources,
            ResourcesPreset = presetName,
            External = spec.External ?? External,
            Version = spec.Version,
            AuthEnabled = spec.AuthEnabled ?? AuthEnabled,
            Persistence = spec.PersistenceMode is { } mode ? ParsePersistence(mode) : platform.Persistence(size),
            MaxmemoryBytes = spec.Maxmemory is { } maxmemory
                ? Bytes(maxmemory, nameof(RedisSpec.Maxmemory))
                : (long)decimal.Floor(resources.MemoryBytes * (MaxmemoryPercent / 100m)),
            MaxmemoryPolicy = spec.MaxmemoryPolicy ?? MaxmemoryPolicy,
            MinReplicasToWrite = spec.MinReplicasToWrite ?? MinReplicasToWrite,
            MinReplicasMaxLag = spec.MinReplicasMaxLag ?? MinReplicasMaxLag,
            TlsEnabled = spec.Tls?.Enabled ?? TlsEnabled,
            Sentinel = new EffectiveSentinel
            {
                Replicas = sentinelReplicas,
                Quorum = spec.Sentinel?.Quorum ?? Quorum(sentinelReplicas),
                DownAfterMilliseconds = spec.Sentinel?.DownAfterMilliseconds ?? DownAfterMilliseconds,
                FailoverTimeout = spec.Sentinel?.FailoverTimeout ?? FailoverTimeout,
                Resources = Merge(spec.Sentinel?.Resources, resources),
            },
            Zones = spec.Zones is { } zones ? [.. zones] : DefaultZones,
        };
    }

    /// <summary>Each key of <paramref name="limits"/> that is set wins; the others come from <paramref name="fallback"/>.</summary>
    private static ComputeResources Merge(ResourceLimits? limits, ComputeResources fallback)
    {
        var cpu = limits?.Cpu;
        var memory = limits?.Memory;
        return new ComputeResources(
            cpu is null ? fallback.CpuMillis : Millicores(cpu, nameof(ResourceLimits.Cpu)),
            memory is null ? fallback.MemoryBytes : Bytes(memory, nameof(ResourceLimits.Memory)),
            cpu ?? fallback.Cpu,
            memory ?? fallback.Memory);
    }

    private static PersistenceMode ParsePersistence(string mode) => mode switch
    {
        "rdb" => PersistenceMode.Rdb,
        "aof" => PersistenceMode.Aof,
        "both" => PersistenceMode.Both,
        "none" => PersistenceMode.None,
        _ => throw new ArgumentException($"unknown persistence mode \"{mode}\"; validate the spec first", nameof(mode)),
    };

    private static long Bytes(string quantity, string field) =>
        Quantity.TryParse(quantity, out var value) ? Quantity.ToBytes(value) : throw Malformed(quantity, field);

    private static long Millicores(string quantity, string field) =>
        Quantity.TryParse(quantity, out var value) ? Quantity.ToMillicores(value) : throw Malformed(quantity, field);

    private static ArgumentException Malformed(string quantity, string field) =>
        new($"{field}: \"{quantity}\" is not a Kubernetes quantity; validate the spec first");
}
