namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>The conditions the operator itself owns, next to the reconciler's (set with <see cref="Model.ConditionTransitions"/>).</summary>
public static class StatusConditions
{
    public const string Paused = "Paused";
    public const string SpecValid = "SpecValid";
}
