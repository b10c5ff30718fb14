namespace Redoubt.Core.Healing;

/// <summary>
/// One correction the healer wants. <see cref="Disruptive"/> actions change who is master or what the Sentinels
/// monitor; at most one of them runs per pass. The others (attaching a parked replica, fixing a setting) are safe together.
/// </summary>
public abstract record HealAction(string Reason)
{
    public abstract bool Disruptive { get; }
    public abstract string Describe();
}

/// <summary>REPLICAOF NO ONE on the node with the most data, when there is no master and Sentinel cannot elect one.</summary>
public sealed record PromoteNode(string Node, string Address, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => true;
    public override string Describe() => $"promote {Node} ({Address}) to master";
}

/// <summary>REPLICAOF master on a replica that is parked or follows the wrong node.</summary>
public sealed record AttachReplica(string Node, string Address, string MasterAddress, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"make {Node} ({Address}) a replica of {MasterAddress}";
}

/// <summary>REPLICAOF master on a second master (split brain); its writes since the split are not the Sentinels' history.</summary>
public sealed record DemoteMaster(string Node, string Address, string MasterAddress, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => true;
    public override string Describe() => $"demote {Node} ({Address}) to a replica of {MasterAddress}";
}

/// <summary>Points Sentinels at the master (SENTINEL MONITOR, replacing a wrong one with REMOVE first) with auth and timers.</summary>
public sealed record MonitorMaster(IReadOnlyList<SentinelTarget> Sentinels, string MasterAddress, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => Sentinels.Any(s => s.Replace);
    public override string Describe() => $"point {string.Join(", ", Sentinels.Select(s => s.Name))} at {MasterAddress}";
}

public sealed record SentinelTarget(string Name, string Address, bool Replace);

/// <summary>
/// A hello handed straight to a Sentinel (PUBLISH on its hello channel, which Sentinel reads as a peer's hello): tells it
/// of a promotion in the failover's own epoch (see <see cref="PromotionAnnouncement"/>).
/// </summary>
public sealed record AnnounceMaster(string Sentinel, string Address, SentinelHello Hello, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => true;
    public override string Describe() => $"tell {Sentinel} that {Platform.Endpoints.Format(Hello.MasterIp, Hello.MasterPort)} is master in epoch {Hello.Epoch}";
}

public sealed record SetSentinelOption(string Sentinel, string Address, string Key, string Value, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"set {Key} {Value} on {Sentinel}";
}

/// <summary>SENTINEL DEBUG: the Sentinel's process-wide timers, lost at every restart.</summary>
public sealed record SetSentinelTimers(string Sentinel, string Address, IReadOnlyList<Planning.Setting> Timers, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"set {string.Join(", ", Timers.Select(t => $"{t.Key} {t.Value}"))} on {Sentinel}";
}

/// <summary>SENTINEL REMOVE of a master name that is not ours: Sentinels of different resources must never mix.</summary>
public sealed record RemoveForeignMaster(string Sentinel, string Address, string MasterName, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"stop {Sentinel} monitoring foreign master {MasterName}";
}

/// <summary>SENTINEL RESET: forget stale replicas or Sentinels; they are rediscovered within seconds.</summary>
public sealed record ResetSentinel(string Sentinel, string Address, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => true;
    public override string Describe() => $"reset {Sentinel}";
}

public sealed record SetConfig(string Node, string Address, string Key, string Value, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"set {Key} on {Node}";
}

/// <summary>SENTINEL FAILOVER: the master's process is known to be gone, so waiting for down-after only loses time.</summary>
public sealed record RequestFailover(string FromNode, string FromAddress, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => true;
    public override string Describe() => $"ask Sentinel to fail over from {FromNode} ({FromAddress})";
}

/// <summary>Planned switchover away from a master that is about to be removed (scale-down).</summary>
public sealed record SwitchMaster(string FromNode, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => true;
    public override string Describe() => $"switch the master away from {FromNode}";
}

/// <summary>Kill a deposed master that hangs, so that it can never wake up and acknowledge writes as a second master.</summary>
/// <param name="Since">When the fenced incarnation started (the container's start on platforms without pids): a node
/// restarted since, or a new pod at the same address, is never fenced.</param>
public sealed record FenceNode(string Node, string Address, int? Pid, string Reason, DateTimeOffset? Since = null) : HealAction(Reason)
{
    public override bool Disruptive => true;
    public override string Describe() => $"fence {Node} ({Address})";
}

/// <summary>
/// Sends a Sentinel its auth-pass and timers again: it monitors the right master but gets no valid reply from it,
/// which is what a missing or wrong auth-pass looks like. The password is not visible in SENTINEL MASTER.
/// </summary>
public sealed record RefreshSentinel(string Sentinel, string Address, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"send {Sentinel} its auth-pass and timers again";
}

/// <summary>
/// Restart one node so that it runs what the platform would start now (a rolling restart). Only on a healthy
/// resource, one node per pass: Sentinels first, then replicas; the master only after a switchover made it a replica.
/// </summary>
public sealed record RestartNode(string Node, Platform.NodeKind Kind, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => true;
    public override string Describe() => $"restart {Node}";
}

/// <summary>
/// ACL SETUSER (reset, then the wanted password hash and rules) for each user of a node that drifted, and ACL DELUSER
/// for users Redoubt did not create. When the application user is among them, the links Sentinels and replicas had
/// opened as that user (before users of Redoubt's own existed) are closed: they come back as their own users.
/// </summary>
public sealed record RepairUsers(string Node, string Address, Platform.NodeKind Kind, IReadOnlyList<Access.AclUser> Users, IReadOnlyList<string> Unexpected, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"repair ACL user(s) {string.Join(", ", Users.Select(u => u.Name).Concat(Unexpected))} on {Node}";
}

/// <summary>BGSAVE on a node whose last snapshot failed: when the disk has room again, writes are accepted again.</summary>
public sealed record RetrySnapshot(string Node, string Address, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"try a snapshot on {Node} again";
}

/// <summary>CONFIG SET masteruser/masterauth: how the node logs in to its master when it is (or becomes) a replica.</summary>
public sealed record SetReplicationAuth(string Node, string Address, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"set the replication login of {Node}";
}

/// <summary>
/// SENTINEL CONFIG SET sentinel-user/sentinel-pass (how it logs in to its peers) and SENTINEL SET auth-user/auth-pass
/// (how it logs in to the Redis nodes).
/// </summary>
public sealed record SetSentinelAuth(string Sentinel, string Address, bool Monitoring, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"set the logins of {Sentinel}";
}

/// <summary>The master starts listening on the master endpoint (see <see cref="Redis.EndpointBinding"/>).</summary>
public sealed record HoldEndpoint(string Node, string Address, string Endpoint, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"let {Node} ({Address}) serve the master endpoint {Endpoint}";
}

/// <summary>A node that is not the master stops listening on the master endpoint and drops the clients it had there.</summary>
public sealed record ReleaseEndpoint(string Node, string Address, string Endpoint, string Reason) : HealAction(Reason)
{
    public override bool Disruptive => false;
    public override string Describe() => $"take the master endpoint {Endpoint} from {Node} ({Address})";
}
