namespace Redoubt.Core.Healing;

/// <summary>One Sentinel's answer to SENTINEL MASTER: the master it names, its flags and where its own failover stands.</summary>
public sealed record SentinelView(string Master, string Flags, string FailoverState = "none")
{
    public bool ObjectivelyDown => Flags.Contains("o_down", StringComparison.Ordinal);

    public bool SubjectivelyDown => Flags.Contains("s_down", StringComparison.Ordinal);

    public bool FailingOver => ObjectivelyDown || InProgress;

    /// <summary>Running a failover: still in its election, or past it.</summary>
    public bool InProgress => Flags.Contains("failover_in_progress", StringComparison.Ordinal);

    /// <summary>
    /// Past its election (selecting, promoting, or reconfiguring replicas): the Sentinel that leads the failover. One
    /// still waiting to start has not won a vote and promotes nothing.
    /// </summary>
    public bool LeadsFailover => InProgress && FailoverState is not ("none" or "wait_start");
}

/// <summary>
/// Whether the fast path may ask for a failover now that the platform saw a node's process exit. SENTINEL FAILOVER
/// fails over whatever master the Sentinel names, so it is only asked when the Sentinels still name the node that
/// exited: an exit seen late (the master was hung, fenced, and the Sentinels have already moved on) must never fail
/// over the new master. Pure.
/// </summary>
public static class FastFailoverCheck
{
    /// <summary>Null when the failover may go ahead; otherwise why not.</summary>
    public static string? WhyNot(string exited, IReadOnlyList<SentinelView?> views)
    {
        var answering = views.OfType<SentinelView>().ToList();
        if (answering.Count == 0)
        {
            return "no Sentinel answers; Sentinel fails over after down-after-milliseconds once one does";
        }

        // Already judged down (it hung before it died) or being failed over: a second failover would compete.
        if (answering.Any(v => v.FailingOver))
        {
            return "the Sentinels are already failing over; leaving it to them";
        }

        var elsewhere = answering.Where(v => v.Master != exited).Select(v => v.Master).Distinct().ToList();
        return elsewhere.Count > 0
            ? $"the Sentinels already name {string.Join(", ", elsewhere)} as master; nothing to fail over"
            : null;
    }

    /// <summary>
    /// The Sentinels' own failover ended without promoting anyone: every Sentinel that answers still names the node
    /// that exited, and none is failing over any more (its election found no majority and timed out, its leader died,
    /// or it found no replica to promote). One that judges the master down but is not failing over waits out Sentinel's
    /// delay between attempts (two failover timeouts); the others, not even judging it down, start nothing without the
    /// quorum that the forced failover's stand-aside takes from them.
    /// </summary>
    public static bool Stalled(string exited, IReadOnlyList<SentinelView?> views)
    {
        var answering = views.OfType<SentinelView>().ToList();
        return answering.Count > 0 && answering.All(v => v.Master == exited && !v.InProgress);
    }
}

/// <summary>
/// Whether a planned switchover whose promotion has not been seen yet must keep the old master's writes paused. Writes
/// resumed on the old master while Sentinel can still promote the chosen replica are lost when it does: the old master
/// is then demoted and its writes since the switch are discarded. Sentinel can still promote while its failover runs,
/// and also after it gave up, when the SLAVEOF NO ONE it sent sits unread on a replica that has not answered since
/// (on a stalled machine the replica carries it out seconds later). Not knowing counts as "it can". Pure.
/// </summary>
public static class SwitchoverCheck
{
    /// <summary>Null when no promotion can come any more; otherwise why one still can.</summary>
    /// <param name="leader">The leader's SENTINEL MASTER answer, or null when it did not answer.</param>
    /// <param name="chosenRole">The chosen replica's ROLE ("slave", "master"), or null when it did not answer.</param>
    public static string? PromotionStillPossible(SentinelView? leader, string? chosenRole) => (leader, chosenRole) switch
    {
        (null, _) => "the leader does not answer, so it may still be failing over",
        ({ InProgress: true }, _) => "the leader still runs the failover",
        (_, null) => "the chosen replica does not answer, so a promotion Sentinel sent it may still be queued",
        (_, "master") => "the chosen replica answers as master",
        _ => null,
    };
}
