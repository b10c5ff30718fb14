using Cronos;

namespace Redoubt.Model;

/// <summary>A resource's backup schedule (<see cref="BackupSpec"/>) with its defaults: when the next backup is due and how many to keep.</summary>
public sealed class BackupSchedule
{
    private readonly CronExpression _cron;

    private BackupSchedule(string text, CronExpression cron, int retention)
    {
        Text = text;
        _cron = cron;
        Retention = retention;
    }

    public string Text { get; }

    public int Retention { get; }

    /// <summary>Parses five-field cron expressions and the @hourly/@daily/… macros, as Kubernetes CronJobs take them.</summary>
    public static bool TryParse(string text, out CronExpression? cron)
    {
        cron = null;
        if (string.IsNullOrWhiteSpace(text) || text.Contains('\n', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            cron = CronExpression.Parse(text.Trim(), CronFormat.Standard);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }

    /// <summary>The schedule of a validated spec, or null when it asks for no scheduled backups.</summary>
    public static BackupSchedule? Of(RedisSpec spec) =>
        spec.Backup is { Schedule: { } text } backup && TryParse(text, out var cron)
            ? new BackupSchedule(text.Trim(), cron!, backup.Retention ?? SpecDefaults.BackupRetention)
            : null;

    /// <summary>How many backups to keep after one is taken by hand: the spec's retention when it sets one, else every one.</summary>
    public static int? RetentionOf(RedisSpec spec) => spec.Backup is { } backup ? backup.Retention ?? SpecDefaults.BackupRetention : null;

    /// <summary>The first time the schedule fires after <paramref name="after"/> (UTC).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => _cron.GetNextOccurrence(after, TimeZoneInfo.Utc);
}
