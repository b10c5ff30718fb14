using Redoubt.Core.Access;
using Redoubt.Core.Platform;

namespace Redoubt.Core.Observation;

/// <summary>What one Redis node said about itself (INFO, CONFIG GET, ACL LIST), or why it said nothing.</summary>
public sealed record RedisNodeObservation
{
    public required string Name { get; init; }
    public required string Zone { get; init; }
    public string? Address { get; init; }
    public NodeLifecycle Lifecycle { get; init; } = NodeLifecycle.Running;
    public int? Pid { get; init; }
    /// <summary>When the node's process or container started, as the platform says; with <see cref="Pid"/>, its incarnation.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Why the platform would start this node differently now; null when it is up to date.</summary>
    public string? Outdated { get; init; }
    public bool Reachable { get; init; }
    public string? Error { get; init; }

    /// <summary>"master" or "slave" as INFO reports it; null when unreachable.</summary>
    public string? Role { get; init; }
    /// <summary>For a replica: the address it replicates from.</summary>
    public string? MasterAddress { get; init; }
    public bool MasterLinkUp { get; init; }
    public bool SyncInProgress { get; init; }
    public bool Loading { get; init; }
    /// <summary>master_repl_offset: for a master what it has written, for a replica what it has applied.</summary>
    public long Offset { get; init; }
    public string? ReplicationId { get; init; }
    public long Keys { get; init; }
    public IReadOnlyList<ConnectedReplica> Replicas { get; init; } = [];
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();
    /// <summary>The addresses the node listens on (CONFIG GET bind, space-separated); null when unknown.</summary>
    public string? Bind { get; init; }
    public string? Version { get; init; }
    /// <summary>
    /// Why the node cannot persist (INFO persistence: a failed snapshot, a failed AOF write or rewrite), usually a full
    /// or unwritable disk; a master in that state refuses writes (MISCONF) until a write to disk succeeds. Null when fine.
    /// </summary>
    public string? PersistenceFailure { get; init; }
    /// <summary>A snapshot (BGSAVE) runs now: its outcome is not known yet.</summary>
    public bool SnapshotInProgress { get; init; }
    /// <summary>Whether the failure is a snapshot's, which Redoubt retries: Redis itself retries only when a save point is due.</summary>
    public bool SnapshotFailed { get; init; }
    /// <summary>Memory, evictions, throughput and persistence figures for metrics; null when the node did not answer.</summary>
    public NodeStats? Stats { get; init; }

    /// <summary>The node's ACL users by name (ACL LIST); null when it could not be read.</summary>
    public IReadOnlyDictionary<string, AclEntry>? Acl { get; init; }
    /// <summary>The user this node logs in as when it is a replica (masteruser), and its password's hash (masterauth).</summary>
    public string? MasterUser { get; init; }
    public string? MasterAuthHash { get; init; }

    public bool IsMaster => Reachable && Role == "master";
    public bool IsReplica => Reachable && Role == "slave";

    /// <summary>
    /// A replica of itself (or, with TLS, of its own host at port 0: see <see cref="Planning.RedisConfigRenderer.ParkPort"/>):
    /// booted, holding whatever data it had, waiting for Redoubt to attach it.
    /// </summary>
    public bool IsParked => IsReplica && Address is not null && (MasterAddress == Address || MasterAddress == Endpoints.Format(Endpoints.Parse(Address).Host, 0));
}

/// <summary>A replica as its master lists it.</summary>
public sealed record ConnectedReplica(string Address, string State, long Offset, long Lag);
