using System.Globalization;

namespace Redoubt.Output;

/// <summary>What `redoubt events` prints: one row per event, oldest first, in the machine's local time.</summary>
public static class EventTable
{
    public static readonly IReadOnlyList<string> Headers = ["TIME", "RESOURCE", "TYPE", "REASON", "MESSAGE"];

    public static TextTable Build(IEnumerable<ResourceEvent> events, TimeZoneInfo zone) =>
        new(Headers, [.. events.Select(resourceEvent => Row(resourceEvent, zone))]);

    public static IReadOnlyList<string> Row(ResourceEvent resourceEvent, TimeZoneInfo zone) =>
    [
        TimeText(resourceEvent.Time, zone),
        resourceEvent.Resource,
        resourceEvent.Type,
        resourceEvent.Reason,
        resourceEvent.Message,
    ];

    public static string TimeText(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
