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

    /// <summary>
    /// One event as a line in fixed-width columns, for `events -w`, whose rows arrive one by one and cannot be
    /// aligned on the ones to come; <see cref="FollowHeader"/> goes above them.
    /// </summary>
    public static string Line(ResourceEvent resourceEvent, TimeZoneInfo zone) => Fixed(Row(resourceEvent, zone));

    public static string FollowHeader => Fixed(Headers);

    private static string Fixed(IReadOnlyList<string> cells) =>
        $"{cells[0],-19}   {cells[1],-24}   {cells[2],-7}   {cells[3],-22}   {cells[4]}".TrimEnd();

    public static string TimeText(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
