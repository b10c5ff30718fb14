using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>The conditions the operator itself owns, next to the reconciler's: Paused and SpecValid.</summary>
public static class StatusConditions
{
    public const string Paused = "Paused";
    public const string SpecValid = "SpecValid";

    /// <summary>Sets a condition, keeping its transition time when its status does not change.</summary>
    public static List<StatusCondition> Set(IEnumerable<StatusCondition> conditions, string type, string status, string reason, string message, DateTimeOffset now)
    {
        var list = conditions.Where(c => c.Type != type).ToList();
        var previous = conditions.FirstOrDefault(c => c.Type == type);
        list.Add(new StatusCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastTransitionTime = previous is not null && previous.Status == status ? previous.LastTransitionTime : now,
        });
        return list;
    }
}
