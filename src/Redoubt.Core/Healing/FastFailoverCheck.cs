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
