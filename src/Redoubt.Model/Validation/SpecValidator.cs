namespace Redoubt.Model;

/// <summary>
/// The value rules of the spec. Every string that ends up in a config file is checked against an enum, the quantity
/// grammar or a DNS name, so none can carry a line break, a quote or a second directive.
/// </summary>
internal static class SpecValidator
{
    public static void Validate(ErrorCollector errors, RedisSpec spec)
    {
        Range(errors, "spec.replicas", spec.Replicas, SpecLimits.Replicas);
        Size(errors, spec.Size);

        if (spec.StorageClass is { Length: > 0 } storageClass && !KubernetesNames.IsDns1123Subdomain(storageClass))
        {
            errors.Add("spec.storageClass", $"must be {Expected.StorageClass}, got {Show.Text(storageClass)}");
        }

        Resources(errors, "spec.resources", spec.Resources);

        if (spec.ResourcesPreset is { } preset && !Presets.TryGet(preset, out _))
        {
            errors.Add("spec.resourcesPreset", $"unknown preset {Show.Text(preset)}; allowed: {Show.List(Presets.Names)}");
        }

        OneOf(errors, "spec.version", spec.Version, SpecLimits.Versions);
        Persistence(errors, spec);
        Maxmemory(errors, spec);
        OneOf(errors, "spec.maxmemoryPolicy", spec.MaxmemoryPolicy, SpecLimits.MaxmemoryPolicies);
        MinReplicasToWrite(errors, spec);
        Range(errors, "spec.minReplicasMaxLag", spec.MinReplicasMaxLag, SpecLimits.MinReplicasMaxLag);
        Sentinel(errors, spec.Sentinel);
        Zones(errors, spec.Zones);
        Backup(errors, spec.Backup);
    }

    private static void Backup(ErrorCollector errors, BackupSpec? backup)
    {
        if (backup is null)
        {
            return;
        }

        if (backup.Schedule is { } schedule && !BackupSchedule.TryParse(schedule, out _))
        {
            errors.Add("spec.backup.schedule", $"must be {Expected.Schedule}, got {Show.Text(schedule)}");
        }

        Range(errors, "spec.backup.retention", backup.Retention, SpecLimits.BackupRetention);
        if (backup.S3 is { } s3)
        {
            S3(errors, s3);
        }
    }

    private static void S3(ErrorCollector errors, S3Destination s3)
    {
        if (s3.Bucket is null)
        {
            errors.Add("spec.backup.s3.bucket", $"is required: {Expected.S3Bucket}");
        }
        else if (!S3Names.IsBucket(s3.Bucket))
        {
            errors.Add("spec.backup.s3.bucket", $"must be {Expected.S3Bucket}, got {Show.Text(s3.Bucket)}");
        }

        if (s3.Endpoint is { } endpoint && !S3Names.IsEndpoint(endpoint))
        {
            errors.Add("spec.backup.s3.endpoint", $"must be {Expected.S3Endpoint}, got {Show.Text(endpoint)}");
        }

        if (s3.Region is { } region && !S3Names.IsRegion(region))
        {
            errors.Add("spec.backup.s3.region", $"must be {Expected.S3Region}, got {Show.Text(region)}");
        }

        if (s3.Prefix is { } prefix && !S3Names.IsPrefix(prefix))
        {
            errors.Add("spec.backup.s3.prefix", $"must be {Expected.S3Prefix}, got {Show.Text(prefix)}");
        }

        if (s3.CredentialsFile is { } file && !(Path.IsPathFullyQualified(file) && !file.Any(char.IsControl)))
        {
            errors.Add("spec.backup.s3.credentialsFile", $"must be {Expected.CredentialsFile}, got {Show.Text(file)}");
        }

        if (s3.CredentialsSecret is { } secret && !KubernetesNames.IsDns1123Subdomain(secret))
        {
            errors.Add("spec.backup.s3.credentialsSecret", $"must be {Expected.CredentialsSecret}, got {Show.Text(secret)}");
        }

        if (s3.CredentialsFile is not null && s3.CredentialsSecret is not null)
        {
            errors.Add("spec.backup.s3", "sets both credentialsFile and credentialsSecret; allowed: one of them (credentialsFile on the local platform, credentialsSecret on Kubernetes)");
        }
    }

    private static void Size(ErrorCollector errors, string? size)
    {
        if (size is { Length: > 0 } && !(Quantity.TryParse(size, out var bytes) && bytes > 0 && FitsInBytes(bytes)))
        {
            errors.Add("spec.size", $"must be {Expected.Size}, got {Show.Text(size)}");
        }
    }

    private static void Resources(ErrorCollector errors, string path, ResourceLimits? resources)
    {
        if (resources?.Cpu is { } cpu
            && !(Quantity.TryParse(cpu, out var cores) && cores > 0 && cores <= long.MaxValue / 1000))
        {
            errors.Add(FieldPath.Child(path, "cpu"), $"must be {Expected.Cpu}, got {Show.Text(cpu)}");
        }

        if (resources?.Memory is { } memory
            && !(Quantity.TryParse(memory, out var bytes) && bytes >= SpecLimits.MinMemoryBytes && FitsInBytes(bytes)))
        {
            errors.Add(FieldPath.Child(path, "memory"), $"must be {Expected.Memory}, got {Show.Text(memory)}");
        }
    }

    private static void Persistence(ErrorCollector errors, RedisSpec spec)
    {
        if (spec.PersistenceMode is not { } mode)
        {
            return;
        }

        if (!SpecLimits.PersistenceModes.Contains(mode))
        {
            errors.Add("spec.persistenceMode", $"must be {Expected.PersistenceMode}, got {Show.Text(mode)}");
        }
        else if (mode != "none" && spec.Size is "")
        {
            errors.Add("spec.persistenceMode",
                $"{Show.Text(mode)} needs storage, but spec.size is \"\" (no persistence); " +
                "set spec.size to a quantity such as 1Gi, or spec.persistenceMode to none");
        }
    }

    private static void Maxmemory(ErrorCollector errors, RedisSpec spec)
    {
        if (spec.Maxmemory is not { } maxmemory)
        {
            return;
        }

        var limit = MemoryLimit(errors, spec);
        var allowed = limit is { } l
            ? $"a quantity from 1Mi to the memory limit ({l.Text} from {l.Source})"
            : Expected.Maxmemory;
        if (!Quantity.TryParse(maxmemory, out var bytes)
            || bytes < SpecLimits.MinMaxmemoryBytes
            || !FitsInBytes(bytes)
            || (limit is { } known && Quantity.ToBytes(bytes) > known.Bytes))
        {
            errors.Add("spec.maxmemory", $"must be {allowed}, got {Show.Text(maxmemory)}");
        }
    }

    /// <summary>The memory limit of a node, or null when a field it comes from is itself invalid.</summary>
    private static (long Bytes, string Text, string Source)? MemoryLimit(ErrorCollector errors, RedisSpec spec)
    {
        if (errors.HasError("spec.resources") || errors.HasError("spec.resources.memory"))
        {
            return null;
        }

        if (spec.Resources?.Memory is { } memory)
        {
            return (Quantity.ToBytes(memory), memory, "spec.resources.memory");
        }

        var presetName = spec.ResourcesPreset ?? SpecDefaults.ResourcesPreset;
        return Presets.TryGet(presetName, out var preset)
            ? (preset.MemoryBytes, preset.Memory, $"spec.resourcesPreset {presetName}")
            : null;
    }

    private static void MinReplicasToWrite(ErrorCollector errors, RedisSpec spec)
    {
        if (spec.MinReplicasToWrite is not { } value)
        {
            return;
        }

        if (errors.HasError("spec.replicas"))
        {
            Range(errors, "spec.minReplicasToWrite", value, new IntRange(0, SpecLimits.Replicas.Max - 1));
            return;
        }

        var replicas = spec.Replicas ?? SpecDefaults.Replicas;
        if (value < 0 || value > replicas - 1)
        {
            errors.Add("spec.minReplicasToWrite",
                $"must be {new IntRange(0, replicas - 1)} (spec.replicas - 1: writes need that many replicas to exist), got {value}");
        }
    }

    private static void Sentinel(ErrorCollector errors, SentinelSpec? sentinel)
    {
        if (sentinel is null)
        {
            return;
        }

        Range(errors, "spec.sentinel.replicas", sentinel.Replicas, SpecLimits.SentinelReplicas);

        if (sentinel.Quorum is { } quorum)
        {
            var sentinels = errors.HasError("spec.sentinel.replicas")
                ? SpecLimits.SentinelReplicas.Max
                : sentinel.Replicas ?? SpecDefaults.SentinelReplicas;
            if (quorum < 1 || quorum > sentinels)
            {
                errors.Add("spec.sentinel.quorum", $"must be {new IntRange(1, sentinels)} (spec.sentinel.replicas), got {quorum}");
            }
        }

        if (sentinel.DownAfterMilliseconds is { } downAfter && !SpecLimits.DownAfterMilliseconds.Contains(downAfter))
        {
            var why = downAfter < SpecLimits.DownAfterMilliseconds.Min
                ? $"; below {SpecLimits.DownAfterMilliseconds.Min} ms a busy 2-core host triggered false failovers in measurement"
                : "";
            errors.Add("spec.sentinel.downAfterMilliseconds", $"must be {SpecLimits.DownAfterMilliseconds}, got {downAfter}{why}");
        }

        Range(errors, "spec.sentinel.failoverTimeout", sentinel.FailoverTimeout, SpecLimits.FailoverTimeout);
        Resources(errors, "spec.sentinel.resources", sentinel.Resources);
    }

    private static void Zones(ErrorCollector errors, List<string>? zones)
    {
        if (zones is null)
        {
            return;
        }

        if (!SpecLimits.ZoneCount.Contains(zones.Count))
        {
            errors.Add("spec.zones", $"must be {Expected.Zones}, got {zones.Count}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < zones.Count; i++)
        {
            var zone = zones[i];
            var path = FieldPath.Item("spec.zones", i);
            if (zone is null || !KubernetesNames.IsDns1123Label(zone))
            {
                errors.Add(path, $"must be {Expected.Zone}, got {(zone is null ? "null" : Show.Text(zone))}");
            }
            else if (!seen.Add(zone))
            {
                errors.Add(path, $"duplicate zone {Show.Text(zone)}; each zone may be listed once");
            }
        }
    }

    private static void Range(ErrorCollector errors, string path, int? value, IntRange range)
    {
        if (value is { } v && !range.Contains(v))
        {
            errors.Add(path, $"must be {range}, got {v}");
        }
    }

    private static void OneOf(ErrorCollector errors, string path, string? value, IReadOnlyList<string> allowed)
    {
        if (value is not null && !allowed.Contains(value))
        {
            errors.Add(path, $"must be {Expected.OneOf(allowed)}, got {Show.Text(value)}");
        }
    }

    private static bool FitsInBytes(decimal bytes) => decimal.Ceiling(bytes) <= long.MaxValue;
}
