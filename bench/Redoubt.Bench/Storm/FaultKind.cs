namespace Redoubt.Bench.Storm;

internal enum FaultKind
{
    MasterKill,
    ReplicaKill,
    SentinelKill,
    MasterStop,
    ReplicaStop,
    ControlPlaneKill,
}

internal static class FaultKinds
{
    public static readonly FaultKind[] All = Enum.GetValues<FaultKind>();

    public static string Label(this FaultKind kind) => kind switch
    {
        FaultKind.MasterKill => "kill -9 master",
        FaultKind.ReplicaKill => "kill -9 replica",
        FaultKind.SentinelKill => "kill -9 Sentinel",
        FaultKind.MasterStop => "SIGSTOP master",
        FaultKind.ReplicaStop => "SIGSTOP replica",
        FaultKind.ControlPlaneKill => "control-plane crash",
        _ => kind.ToString(),
    };

    /// <summary>A master change after any other fault is a false failover.</summary>
    public static bool TouchesMaster(this FaultKind kind) => kind is FaultKind.MasterKill or FaultKind.MasterStop;
}
