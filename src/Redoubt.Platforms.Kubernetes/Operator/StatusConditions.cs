namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>The conditions the operator itself owns, next to the reconciler's (set with <see cref="Model.ConditionTransitions"/>).</summary>
public static class StatusConditions
{
    public const string Paused = "Paused";
    public const string SpecValid = "SpecValid";

    /// <summary>Whether the last pass completed; False with the failed call and the server's answer while passes fail.</summary>
    public const string Reconciled = "Reconciled";

    /// <summary>False while spec.backup asks for backups the operator does not take yet; absent without spec.backup.</summary>
    public const string Backups = "Backups";
}
