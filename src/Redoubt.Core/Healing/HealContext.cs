namespace Redoubt.Core.Healing;

/// <summary>What the healer remembers between passes; everything else it decides from the observation alone.</summary>
public sealed record HealContext
{
    public required DateTimeOffset Now { get; init; }
    /// <summary>Since when no node has been master (null while there is one).</summary>
    public DateTimeOffset? NoMasterSince { get; init; }
    /// <summary>The master of the last pass that had one.</summary>
    public string? LastKnownMaster { get; init; }
    /// <summary>The master before the last change of master, until it is seen again as a replica or fenced.</summary>
    public string? DeposedMaster { get; init; }
    /// <summary>The deposed master's process id when it was master: only that process is fenced, never a fresh restart.</summary>
    public int? DeposedPid { get; init; }
    /// <summary>When the deposed master's container started, where the platform has no pids (Kubernetes): a restarted container or a new pod is not it.</summary>
    public DateTimeOffset? DeposedSince { get; init; }
    /// <summary>A failover Redoubt asked for is still running; nothing disruptive until it ends.</summary>
    public bool FailoverInFlight { get; init; }
    /// <summary>How long to wait for every node to report before choosing a master without the silent ones.</summary>
    public TimeSpan ElectionGrace { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The users and logins every node must have; null where the platform keeps one password (no ACL users).</summary>
    public Access.AccessPlan? Access { get; init; }
    /// <summary>The master endpoint the master must listen on (<see cref="Platform.IRedisPlatform.MasterEndpoint"/>), or null.</summary>
    public string? Endpoint { get; init; }
    /// <summary>When Redoubt last asked each node (by name) for a snapshot after one failed.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> SnapshotRetried { get; init; } = new Dictionary<string, DateTimeOffset>();
}
