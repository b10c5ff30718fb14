using Redoubt.Core.Observation;

namespace Redoubt.Core.Healing;

/// <summary>The healer's verdict: who the master is (if anyone), what to do, and why it is waiting if it does nothing.</summary>
public sealed record HealDecision(RedisNodeObservation? Master, IReadOnlyList<HealAction> Actions, string? Waiting)
{
    /// <summary>Every safe action and at most one disruptive one, in the order decided.</summary>
    public IReadOnlyList<HealAction> ActionsForThisPass()
    {
        var chosen = new List<HealAction>();
        var disruptiveTaken = false;
        foreach (var action in Actions)
        {
            if (action.Disruptive)
            {
                if (disruptiveTaken)
                {
                    continue;
                }

                disruptiveTaken = true;
            }

            chosen.Add(action);
        }

        return chosen;
    }
}
