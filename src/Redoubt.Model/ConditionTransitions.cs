namespace Redoubt.Model;

/// <summary>
/// Status conditions as Kubernetes keeps them: one per type, and a condition's transition time moves only when its
/// status changes, so it says since when the condition has been what it is.
/// </summary>
public static class ConditionTransitions
{
    /// <summary>The condition of <paramref name="type"/> as it is now, after <paramref name="previous"/> (null: none yet).</summary>
    public static StatusCondition Next(StatusCondition? previous, string type, string status, string reason, string message, DateTimeOffset now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastTransitionTime = previous is not null && previous.Status == status ? previous.LastTransitionTime : now,
    };

    /// <summary>The conditions with the one of <paramref name="type"/> set (replaced, or added last).</summary>
    public static List<StatusCondition> Set(IEnumerable<StatusCondition> conditions, string type, string status, string reason, string message, DateTimeOffset now)
    {
        var list = conditions.ToList();
        var next = Next(list.FirstOrDefault(c => c.Type == type), type, status, reason, message, now);
        return [.. list.Where(c => c.Type != type), next];
    }
}
