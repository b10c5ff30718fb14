namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>The conditions the operator itself owns, next to the reconciler's (set with <see cref="Model.ConditionTransitions"/>).</summary>
public static class StatusConditions
{
    public const string Paused = "Paused";
    public const string SpecValid = "SpecValid";

    /// <summary>Whether the last pass completed; False with the failed call and the server's answer while passes fail.</summary>
    public const string Reconciled = "Reconciled";

    /// <summary>How the backups go: True with the newest, False with why the last failed or why none can be taken; absent without spec.backup.</summary>
    public const string Backups = "Backups";

    /// <summary>True while a restore Job replaces the master's keys; False afterwards with how it went.</summary>
    public const string Restoring = "Restoring";
}
