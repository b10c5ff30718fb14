using System.Globalization;
using System.Text.RegularExpressions;

namespace Redoubt.Bench.Storm;

/// <summary>
/// Reads the lines of a resource's node logs (redis.log, sentinel.log) and of its control-plane log that fall in a
/// time window, with their time in milliseconds from the fault: the evidence kept for an outlier, and the source of
/// the events its one-line explanation quotes. Redis writes local time (UTC on the machines this runs on); the
/// control-plane log writes UTC time of day.
/// </summary>
internal static partial class NodeLogs
{
    // "12345:M 02 Dec 2026 09:11:01.123 * message"
    [GeneratedRegex(@"^\d+:[A-Z] (\d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}\.\d{3}) (.*)$")]
    private static partial Regex RedisLine();

    // "09:11:01.123 Information Redoubt.Reconcile: message"
    [GeneratedRegex(@"^(\d{2}:\d{2}:\d{2}\.\d{3}) (.*)$")]
    private static partial Regex ControlPlaneLine();

    private static readonly string[] Notable =
    [
        "BGSAVE", "fork", "Synchronization with replica", "MASTER MODE", "Connecting to MASTER", "MASTER <-> REPLICA sync: Finished",
        "Full resync", "Partial resynchronization", "Ready to accept", "DB loaded", "+sdown master", "-sdown master", "+odown", "-odown",
        "+switch-master", "+failover-state", "+elected-leader", "+promoted-slave", "-failover-abort", "+failover-end", "+tilt", "-tilt",
        "+convert-to-slave", "+reboot", "+new-epoch", "REPLICAOF", "Connection with master lost",
    ];

    public sealed record Line(double Ms, string Source, string Text, bool IsNotable);

    /// <summary>The lines of <paramref name="files"/> (source name, path) between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static List<Line> Between(IEnumerable<(string Source, string Path, bool ControlPlane)> files, DateTimeOffset fault, DateTimeOffset from, DateTimeOffset to)
    {
        var lines = new List<Line>();
        foreach (var (source, path, controlPlane) in files)
        {
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var text in ReadShared(path))
            {
                if (Parse(text, controlPlane, fault) is not { } parsed || parsed.At < from || parsed.At > to)
                {
                    continue;
                }

                var notable = controlPlane || Notable.Any(n => parsed.Message.Contains(n, StringComparison.Ordinal));
                lines.Add(new Line((parsed.At - fault).TotalMilliseconds, source, parsed.Message, notable));
            }
        }

        return [.. lines.OrderBy(l => l.Ms)];
    }

    private static (DateTimeOffset At, string Message)? Parse(string text, bool controlPlane, DateTimeOffset fault)
    {
        if (controlPlane)
        {
            var match = ControlPlaneLine().Match(text);
            if (!match.Success || !TimeSpan.TryParseExact(match.Groups[1].Value, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out var time))
            {
                return null;
            }

            // A run does not last a day: the nearest such time of day to the fault is the one.
            var at = new DateTimeOffset(fault.UtcDateTime.Date + time, TimeSpan.Zero);
            at = (at - fault).TotalHours switch { > 12 => at.AddDays(-1), < -12 => at.AddDays(1), _ => at };
            return (at, match.Groups[2].Value);
        }

        var redis = RedisLine().Match(text);
        return redis.Success && DateTime.TryParseExact(redis.Groups[1].Value, "dd MMM yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var local)
            ? (new DateTimeOffset(local), redis.Groups[2].Value)
            : null;
    }

    private static List<string> ReadShared(string path)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            var lines = new List<string>();
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }

            return lines;
        }
        catch (IOException)
        {
            return [];
        }
    }
}
