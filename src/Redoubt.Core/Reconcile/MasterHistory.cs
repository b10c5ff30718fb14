using Redoubt.Core.Observation;
using Redoubt.Model;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// What the reconciler remembers about masters between passes: the last master, the one it replaced until that one
/// is seen as a replica or fenced, since when there has been no master or the master has been silent, the hung master
/// whose failover is over, and the last failover. Immutable; every change returns a new history, so each rule is a
/// row in a table test.
/// </summary>
public sealed record MasterHistory
{
    /// <summary>A failover Redoubt did not drive is recorded unless one to the same node was recorded this recently.</summary>
    public static readonly TimeSpan SameFailoverWindow = TimeSpan.FromSeconds(30);

    public RedisNodeObservation? Master { get; init; }
    /// <summary>The master before the last change of master, until it is seen again as a replica or fenced.</summary>
    public string? DeposedAddress { get; init; }
    /// <summary>The deposed master's process when it was master: only that process is ever fenced, never a restart.</summary>
    public int? DeposedPid { get; init; }
    /// <summary>When the deposed master's process or container started: its incarnation where the platform has no pids.</summary>
    public DateTimeOffset? DeposedSince { get; init; }
    public DateTimeOffset? NoMasterSince { get; init; }
    /// <summary>When the master watch sent the first PING the master left unanswered: where a hang's failover starts.</summary>
    public DateTimeOffset? SilentSince { get; init; }
    /// <summary>
    /// The master whose replacement the fast path or the hang watch saw: nothing watches it again until a pass learns the
    /// new master (a restarted node at its address, or its hung process, would otherwise look like a master gone silent).
    /// </summary>
    public (string? Address, int? Pid) ReplacedMaster { get; init; }
    public FailoverRecord? LastFailover { get; init; }
    /// <summary>Whether the resource was ever Ready: a resource that has been is Degraded when it is not, never Pending.</summary>
    public bool EverReady { get; init; }

    /// <summary>Carries over what an earlier control plane reported. The saved phase describes the past; nodes are observed anew.</summary>
    public static MasterHistory Restore(RedisStatus? status) => status is null
        ? new MasterHistory()
        : new MasterHistory
        {
            LastFailover = status.LastFailover,
            EverReady = status.Phase is Phases.Ready or Phases.Degraded or Phases.FailingOver,
        };

    /// <summary>
    /// A pass's verdict on who is master. When the master changed without a failover Redoubt recorded (Sentinel's slow
    /// path, a hang, a partition), the failover is returned to be recorded: it started when the master stopped answering
    /// the master watch, or else when a pass first found no master.
    /// </summary>
    public (MasterHistory Next, FailoverRecord? Unrecorded) Observe(RedisNodeObservation? master, ClusterObservation observation, DateTimeOffset now)
    {
        if (master is null)
        {
            return (this with { NoMasterSince = NoMasterSince ?? now }, null);
        }

        var previous = Master;
        var changed = previous is not null && previous.Address != master.Address;
        FailoverRecord? unrecorded = null;
        if (changed && !Recorded(master.Name, (NoMasterSince ?? now) - SameFailoverWindow))
        {
            var since = new[] { SilentSince, NoMasterSince, now }.OfType<DateTimeOffset>().Min();
            unrecorded = Failover(since, now - since, previous!.Name, master.Name, "Sentinel failed over (master unreachable)");
        }

        var next = this with { Master = master, NoMasterSince = null, LastFailover = unrecorded ?? LastFailover };
        if (changed)
        {
            next = next with { DeposedAddress = previous!.Address, DeposedPid = previous.Pid, DeposedSince = previous.Since, SilentSince = null, ReplacedMaster = default };
        }
        else if (DeposedAddress is not null && observation.Nodes.Any(n => n.Address == DeposedAddress && n.IsReplica))
        {
            next = next with { DeposedAddress = null, DeposedPid = null, DeposedSince = null };
        }

        return (next, unrecorded);
    }

    /// <summary>The master watch's first unanswered PING; ignored unless that node is still the master.</summary>
    public MasterHistory Silent(string address, DateTimeOffset since) =>
        Master?.Address == address && SilentSince is null ? this with { SilentSince = since } : this;

    /// <summary>A stall that ended: no failover is coming from it.</summary>
    public MasterHistory Answered() => SilentSince is null ? this : this with { SilentSince = null };

    public MasterHistory Fenced() => this with { DeposedAddress = null, DeposedPid = null, DeposedSince = null };

    public MasterHistory MasterReplaced(RedisNodeObservation master) => this with { ReplacedMaster = (master.Address, master.Pid) };

    public bool IsReplaced(RedisNodeObservation master) => ReplacedMaster == (master.Address, master.Pid);

    /// <summary>A failover recorded the moment it happened, before any pass saw it: the master it replaced is no longer watched.</summary>
    public MasterHistory WithFailover(FailoverRecord failover) => Master is { } master && master.Name == failover.From
        ? MasterReplaced(master) with { LastFailover = failover, SilentSince = null }
        : this with { LastFailover = failover };

    /// <summary>Whether a failover to <paramref name="to"/> that started at or after <paramref name="since"/> is recorded already.</summary>
    public bool Recorded(string to, DateTimeOffset since) => LastFailover is { } last && last.To == to && last.Time >= since;

    /// <summary>Where a failover Redoubt is recording started: the first silence it knows of.</summary>
    public DateTimeOffset FailoverStart(DateTimeOffset now) => SilentSince ?? NoMasterSince ?? now;

    public static FailoverRecord Failover(DateTimeOffset since, TimeSpan took, string from, string to, string cause) =>
        new() { Time = since, DurationMs = Math.Round(took.TotalMilliseconds, 1), From = from, To = to, Cause = cause };
}
