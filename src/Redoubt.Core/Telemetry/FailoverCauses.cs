namespace Redoubt.Core.Telemetry;

/// <summary>
/// The few kinds of failover the duration histogram tells apart, from the cause a <see cref="Model.FailoverRecord"/>
/// states: the master's process went (exit), it stopped answering (a hang or a partition), or a planned switchover.
/// </summary>
public static class FailoverCauses
{
    public const string Exit = "exit";
    public const string Unreachable = "unreachable";
    public const string Switchover = "switchover";

    public static readonly IReadOnlyList<string> All = [Exit, Unreachable, Switchover];

    /// <summary>
    /// The kind of a recorded cause. The causes are Redoubt's own sentences (the fast path's "master X exited" or "was
    /// deleted", the healer's "master X is exited/missing/starting/restarted as a parked replica", the switchover's
    /// "planned switchover"); anything else was a master nobody saw go, which is a hang or a partition.
    /// </summary>
    public static string Of(string cause)
    {
        if (cause.Contains("switchover", StringComparison.OrdinalIgnoreCase))
        {
            return Switchover;
        }

        string[] gone = [" exited", " was deleted", " is exited", " is missing", " is starting", "restarted as a parked replica"];
        return gone.Any(g => cause.Contains(g, StringComparison.Ordinal)) ? Exit : Unreachable;
    }
}
