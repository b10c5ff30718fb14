namespace Redoubt.Bench.Storm;

internal enum FaultKind
{
    MasterKill,
    ReplicaKill,
    SentinelKill,
    MasterStop,
    ReplicaStop,
    ControlPlaneKill,

    /// <summary>The master's zone cut off from the others and from the control plane for 2-6 s.</summary>
    MasterPartition,

    /// <summary>A replica's zone cut off for 2-6 s.</summary>
    ReplicaPartition,
}

internal static class FaultKinds
{
    public static readonly FaultKind[] All = Enum.GetValues<FaultKind>();

    /// <summary>What a storm draws from unless told otherwise: partitions need root and run only with --partitions or --kinds.</summary>
    public static readonly FaultKind[] Default = [.. All.Where(k => !k.IsPartition())];

    public static readonly FaultKind[] Partitions = [FaultKind.MasterPartition, FaultKind.ReplicaPartition];

    /// <summary>The name --kinds takes for both partition kinds at once.</summary>
    public const string PartitionName = "partition";

    public static bool IsPartition(this FaultKind kind) => kind is FaultKind.MasterPartition or FaultKind.ReplicaPartition;

    /// <summary>The names --kinds takes, one per kind.</summary>
    public static string Name(this FaultKind kind) => kind switch
    {
        FaultKind.MasterKill => "master-kill",
        FaultKind.ReplicaKill => "replica-kill",
        FaultKind.SentinelKill => "sentinel-kill",
        FaultKind.MasterStop => "master-stop",
        FaultKind.ReplicaStop => "replica-stop",
        FaultKind.ControlPlaneKill => "control-plane-kill",
        FaultKind.MasterPartition => "master-partition",
        FaultKind.ReplicaPartition => "replica-partition",
        _ => kind.ToString(),
    };

    /// <summary>
    /// The kinds a comma-separated list names, <see cref="PartitionName"/> standing for both partition kinds (null or
    /// empty: the default ones); null when a name is unknown.
    /// </summary>
    public static FaultKind[]? Parse(string? names)
    {
        if (string.IsNullOrWhiteSpace(names))
        {
            return Default;
        }

        var kinds = new List<FaultKind>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name == PartitionName)
            {
                kinds.AddRange(Partitions);
                continue;
            }

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
        FaultKind.MasterPartition => "partition master",
        FaultKind.ReplicaPartition => "partition replica",
        _ => kind.ToString(),
    };

    /// <summary>A master change after any other fault is a false failover.</summary>
    public static bool TouchesMaster(this FaultKind kind) => kind is FaultKind.MasterKill or FaultKind.MasterStop or FaultKind.MasterPartition;
}
