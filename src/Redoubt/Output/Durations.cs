using System.Globalization;

namespace Redoubt.Output;

/// <summary>How long ago something happened, the short way kubectl says it (45s, 12m, 3h, 5d).</summary>
public static class Durations
{
    public static string Ago(DateTimeOffset time, DateTimeOffset now) => Compact(now - time);

    public static string Compact(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        return span switch
        {
            { TotalSeconds: < 120 } => Format(span.TotalSeconds, "s"),
            { TotalMinutes: < 120 } => Format(span.TotalMinutes, "m"),
            { TotalHours: < 48 } => Format(span.TotalHours, "h"),
            _ => Format(span.TotalDays, "d"),
        };
    }

    public static string Milliseconds(double milliseconds) =>
        milliseconds < 10_000
            ? milliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms"
            : (milliseconds / 1000).ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static string Format(double value, string unit) =>
        ((long)Math.Floor(value)).ToString(CultureInfo.InvariantCulture) + unit;
}
