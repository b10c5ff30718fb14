using System.Globalization;
using System.Text;
using Redoubt.Model;

namespace Redoubt.Output;

/// <summary>What `redoubt describe` prints: the effective spec, the status and the recent history of one resource.</summary>
public static class ResourceDescription
{
    private const int EventsShown = 20;

    public static string Render(RedisResource resource, DateTimeOffset now)
    {
        var status = resource.Status ?? new RedisStatus();
        var text = new StringBuilder();

        Field(text, "Name", resource.Metadata.Name);
        Field(text, "Namespace", resource.Metadata.Namespace);
        Field(text, "Generation", $"{Number(resource.Metadata.Generation)} (observed {Number(status.ObservedGeneration)})");
        Field(text, "Phase", status.Phase);
        Field(text, "Redis version", status.RedisVersion ?? "-");
        Field(text, "Master", status.Master is null ? "none" : $"{status.Master} (Sentinel name {status.MasterName})");
        if (status.Endpoint is { } endpoint)
        {
            Field(text, "Endpoint", $"{endpoint} (always reaches the master)");
        }

        Field(text, "Sentinels", status.Sentinels.Count == 0 ? "none" : string.Join(", ", status.Sentinels));

        text.Append("\nSpec:\n");
        AppendSpec(text, SpecDefaults.Resolve(resource.Spec, PlatformDefaults.Local));

        text.Append("\nConditions:\n");
        if (status.Conditions.Count == 0)
        {
            text.Append("  none\n");
        }
        else
        {
            text.Append(new TextTable(
                ["TYPE", "STATUS", "REASON", "SINCE", "MESSAGE"],
                [.. status.Conditions.Select(condition => (IReadOnlyList<string>)
                    [condition.Type, condition.Status, condition.Reason, Durations.Ago(condition.LastTransitionTime, now), condition.Message])])
                .Render("  "));
        }

        text.Append("\nNodes:\n");
        text.Append(status.Nodes.Count == 0 ? "  none yet\n" : NodeTable.Build(resource).Render("  "));

        text.Append("\nSentinel nodes:\n");
        text.Append(status.SentinelNodes.Count == 0 ? "  none yet\n" : NodeTable.BuildSentinels(resource).Render("  "));

        text.Append('\n');
        Field(text, "Last failover", status.LastFailover is { } failover ? Failover(failover, now) : "none");
        Field(text, "Password", status.PasswordRotation is { } rotation ? Rotation(rotation, now) : "never rotated");
        Field(text, "Backups", Backups(resource.Spec, status.Backup, now));

        text.Append("\nEvents:\n");
        if (status.Events.Count == 0)
        {
            text.Append("  none\n");
        }
        else
        {
            text.Append(new TextTable(
                ["AGE", "TYPE", "REASON", "MESSAGE"],
                [.. status.Events
                    .OrderBy(statusEvent => statusEvent.Time)
                    .TakeLast(EventsShown)
                    .Select(statusEvent => (IReadOnlyList<string>)
                        [Durations.Ago(statusEvent.Time, now), statusEvent.Type, statusEvent.Reason, statusEvent.Message])])
                .Render("  "));
        }
        return text.ToString();
    }

    private static void AppendSpec(StringBuilder text, EffectiveSpec spec)
    {
        var replicas = spec.Replicas - 1;
        SpecField(text, "Replicas", $"{Number(spec.Replicas)} (1 master + {Number(replicas)} {(replicas == 1 ? "replica" : "replicas")})");
        SpecField(text, "Storage", spec.SizeBytes is null
            ? "none (pure cache)"
            : $"{spec.Size} per node, persistence {spec.Persistence.ToString().ToLowerInvariant()}"
              + (spec.StorageClass.Length > 0 ? $", storage class {spec.StorageClass}" : ""));
        if (spec.SizeBytes is not null)
        {
            SpecField(text, "A crash loses", CrashLoss(spec.Persistence));
        }
        SpecField(text, "Resources", $"cpu {spec.Resources.Cpu}, memory {spec.Resources.Memory} (preset {spec.ResourcesPreset})");
        SpecField(text, "Maxmemory", $"{ByteSizes.Format(spec.MaxmemoryBytes)}, policy {spec.MaxmemoryPolicy}");
        SpecField(text, "Version", spec.Version ?? "the installed redis-server");
        SpecField(text, "Auth", spec.AuthEnabled ? "enabled" : "disabled");
        SpecField(text, "TLS", spec.TlsEnabled ? "enabled" : "disabled");
        SpecField(text, "External", spec.External ? "yes" : "no");
        SpecField(text, "Writes need", spec.MinReplicasToWrite == 0
            ? "no replica"
            : $"{Number(spec.MinReplicasToWrite)} replica(s) at most {Number(spec.MinReplicasMaxLag)} s behind");
        SpecField(text, "Sentinels", $"{Number(spec.Sentinel.Replicas)}, quorum {Number(spec.Sentinel.Quorum)}, " +
            $"down-after {Number(spec.Sentinel.DownAfterMilliseconds)} ms, failover-timeout {Number(spec.Sentinel.FailoverTimeout)} ms");
        SpecField(text, "Zones", string.Join(", ", spec.Zones));
    }

    /// <summary>
    /// What each mode keeps when every node of the resource goes down at once, as they do on one machine, and when one
    /// node does (its replicas hold what it acknowledged, up to the replication lag, and the most caught-up one leads).
    /// </summary>
    internal static string CrashLoss(PersistenceMode mode) => mode switch
    {
        PersistenceMode.Aof or PersistenceMode.Both =>
            "machine: at most the last second of acknowledged writes (append-only file, fsync every second); one node: nothing a replica had",
        PersistenceMode.Rdb =>
            "machine: every write since the last snapshot (up to an hour with few writes); one node: nothing a replica had",
        _ => "machine: everything; one node: nothing a replica had",
    };

    private static string Failover(FailoverRecord failover, DateTimeOffset now) =>
        $"{failover.Time.ToString("u", CultureInfo.InvariantCulture)} ({Durations.Ago(failover.Time, now)} ago): " +
        $"{failover.From} -> {failover.To} in {Durations.Milliseconds(failover.DurationMs)}, {failover.Cause}";

    private static string Rotation(PasswordRotationStatus rotation, DateTimeOffset now) =>
        $"rotated ({rotation.Request}), " + (rotation.Applied ? "new password on every node and Sentinel" : "new password not yet on every node and Sentinel") + "; " +
        (rotation.OldPasswordUntil is { } until
            ? $"old password accepted until {until.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} (in {Durations.Compact(until - now)})"
            : "old password no longer accepted");

    private static string Backups(RedisSpec spec, BackupStatus? backup, DateTimeOffset now)
    {
        var schedule = BackupSchedule.Of(spec) is { } scheduled ? $"scheduled {scheduled.Text} (UTC), keeping {Number(scheduled.Retention)}" : "not scheduled";
        if (backup is null)
        {
            return $"none; {schedule}";
        }

        var text = new StringBuilder($"{Number(backup.Count)} kept");
        if (backup.Last is { } last && backup.LastTime is { } time)
        {
            text.Append($", newest {last} ({Durations.Ago(time, now)} ago, {ByteSizes.Format(backup.LastSizeBytes ?? 0)}, {Durations.Milliseconds(backup.LastDurationMs ?? 0)})");
        }

        if (backup.Location is { } location)
        {
            text.Append($" in {location}");
        }

        text.Append($"; {schedule}");
        if (backup.NextTime is { } next)
        {
            text.Append($", next at {next.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}");
        }

        if (backup.LastFailure is { } failure && backup.LastFailureTime is { } failed)
        {
            text.Append($"; last scheduled one failed {Durations.Ago(failed, now)} ago: {failure}");
        }

        return text.ToString();
    }

    private static void Field(StringBuilder text, string label, string value) =>
        text.Append((label + ":").PadRight(15)).Append(value).Append('\n');

    private static void SpecField(StringBuilder text, string label, string value) =>
        text.Append("  ").Append((label + ":").PadRight(13)).Append(value).Append('\n');

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
