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

    /// <summary>The names --kinds takes, one per kind.</summary>
    public static string Name(this FaultKind kind) => kind switch
    {
        FaultKind.MasterKill => "master-kill",
        FaultKind.ReplicaKill => "replica-kill",
        FaultKind.SentinelKill => "sentinel-kill",
        FaultKind.MasterStop => "master-stop",
        FaultKind.ReplicaStop => "replica-stop",
        FaultKind.ControlPlaneKill => "control-plane-kill",
        _ => kind.ToString(),
    };

    /// <summary>The kinds a comma-separated list names (null or empty: all); null when a name is unknown.</summary>
    public static FaultKind[]? Parse(string? names)
    {
        if (string.IsNullOrWhiteSpace(names))
        {
            return All;
        }

        var kinds = new List<FaultKind>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (All.FirstOrDefault(k => k.Name() == name) is var kind && kind.Name() != name)
            {
                return null;
            }

            kinds.Add(kind);
        }

        return [.. kinds.Distinct()];
    }

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
