using Redoubt.Model;

namespace Redoubt.Metrics;

/// <summary>
/// What each resource's status says of its backups (status.backup), set at every scrape from the resources the control
/// plane lists: every resource has the scheduled, kept and failing series (0 when it has no backups), the times and
/// sizes only once there is a backup or a schedule to speak of. A resource no longer listed loses its series.
/// </summary>
public sealed class BackupMetrics(MetricFamilies families)
{
    private readonly Lock _lock = new();
    private HashSet<(string Namespace, string Name)> _known = [];

    public void Set(IEnumerable<RedisResource> resources)
    {
        lock (_lock)
        {
            var seen = new HashSet<(string Namespace, string Name)>();
            foreach (var resource in resources)
            {
                var labels = new[] { resource.Metadata.Namespace, resource.Metadata.Name };
                seen.Add((labels[0], labels[1]));
                var backup = resource.Status?.Backup;
                families.BackupScheduled.WithLabels(labels).Set(BackupSchedule.Of(resource.Spec) is null ? 0 : 1);
                families.BackupsKept.WithLabels(labels).Set(backup?.Count ?? 0);
                families.BackupFailing.WithLabels(labels).Set(backup?.LastFailure is null ? 0 : 1);
                ResourceMetrics.SetOrRemove(families.BackupLastSuccess, backup?.LastTime?.ToUnixTimeMilliseconds() / 1000.0, labels);
                ResourceMetrics.SetOrRemove(families.BackupLastSize, backup?.LastSizeBytes, labels);
                ResourceMetrics.SetOrRemove(families.BackupLastDuration, backup?.LastDurationMs / 1000, labels);
                ResourceMetrics.SetOrRemove(families.BackupNext, backup?.NextTime?.ToUnixTimeMilliseconds() / 1000.0, labels);
            }

            foreach (var (ns, name) in _known.Where(k => !seen.Contains(k)))
            {
                foreach (var gauge in families.BackupGauges)
                {
                    gauge.RemoveLabelled(ns, name);
                }
            }

            _known = seen;
        }
    }
}
