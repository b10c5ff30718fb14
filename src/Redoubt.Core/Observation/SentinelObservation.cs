using Redoubt.Core.Access;
using Redoubt.Core.Platform;

namespace Redoubt.Core.Observation;

/// <summary>One Sentinel's view: what it monitors under our master name, whom it knows, and any master it should not monitor.</summary>
public sealed record SentinelObservation
{
    public required string Name { get; init; }
    public required string Zone { get; init; }
    public string? Address { get; init; }
    public NodeLifecycle Lifecycle { get; init; } = NodeLifecycle.Running;
    public int? Pid { get; init; }
    /// <summary>Why the platform would start this node differently now; null when it is up to date.</summary>
    public string? Outdated { get; init; }
    public bool Reachable { get; init; }
    public string? Error { get; init; }

    /// <summary>Null when this Sentinel does not monitor our master name.</summary>
    public MonitoredMaster? Master { get; init; }
    /// <summary>Master names other than ours: a Sentinel of ours must never watch another resource.</summary>
    public IReadOnlyList<string> ForeignMasters { get; init; } = [];
    public IReadOnlyList<string> KnownSentinels { get; init; } = [];
    public IReadOnlyList<string> KnownReplicas { get; init; } = [];
    /// <summary>SENTINEL DEBUG's timers (milliseconds by name); empty where the Sentinel has no such command (before 7.0).</summary>
    public IReadOnlyDictionary<string, string> Timers { get; init; } = new Dictionary<string, string>();

    /// <summary>The Sentinel's ACL users by name (ACL LIST); null when it could not be read.</summary>
    public IReadOnlyDictionary<string, AclEntry>? Acl { get; init; }
    /// <summary>The user it logs in to its peers as (sentinel-user), and its password's hash (sentinel-pass).</summary>
    public string? PeerUser { get; init; }
    public string? PeerAuthHash { get; init; }
}

public sealed record MonitoredMaster
{
    public required string Address { get; init; }
    public required string Flags { get; init; }
    public int Quorum { get; init; }
    public int OtherSentinels { get; init; }
    public int Replicas { get; init; }
    public long ConfigEpoch { get; init; }
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Milliseconds since the master last gave this Sentinel a valid PING reply. Sentinel pings once a second (or
    /// every down-after when shorter), so a healthy link shows up to that period plus a round trip.
    /// </summary>
    public long? SinceValidPing =>
        Settings.TryGetValue("last-ok-ping-reply", out var text) && long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : null;

    /// <summary>No valid reply for longer than the ping period plus down-after: a wrong or missing auth-pass looks like this.</summary>
    public bool PingRepliesStale(int downAfterMilliseconds) =>
        SinceValidPing is not { } ms || ms > Math.Min(downAfterMilliseconds, 1000) + downAfterMilliseconds;

    public bool FailoverInProgress => Flags.Contains("failover_in_progress", StringComparison.Ordinal);
    public bool SubjectivelyDown => Flags.Contains("s_down", StringComparison.Ordinal);
    public bool ObjectivelyDown => Flags.Contains("o_down", StringComparison.Ordinal);
}
