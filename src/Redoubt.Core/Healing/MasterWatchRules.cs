namespace Redoubt.Core.Healing;

/// <summary>How one PING of the master went.</summary>
public enum PingOutcome
{
    Answered,
    /// <summary>No answer within the timeout: the process may be hung or cut off.</summary>
    TimedOut,
    /// <summary>Refused, reset or answered with an error: something answered, so not a hang (an exit takes the fast path).</summary>
    Refused,
}

/// <summary>The master watch's verdicts: when silence is a hang, and when a silent master must be fenced. Pure.</summary>
public static class MasterWatchRules
{
    /// <summary>PINGs in a row that time out before the hang watch starts: one can be a scheduling hiccup on a busy machine.</summary>
    public const int SilentPingsForHang = 2;

    /// <summary>The count of PINGs in a row that timed out after this one, and whether that makes a hang.</summary>
    public static (int Silent, bool Hang) AfterPing(int silentBefore, PingOutcome outcome)
    {
        if (outcome != PingOutcome.TimedOut)
        {
            return (0, false);
        }

        var silent = silentBefore + 1;
        return silent >= SilentPingsForHang ? (0, true) : (silent, false);
    }

    /// <summary>
    /// Why a master that stopped answering must be fenced now, or null to keep watching. Once the Sentinels agree it is
    /// down (o_down) it will be deposed whatever happens next, and once another node is master it already has been:
    /// either way, were it to wake up, it would acknowledge the writes queued in its sockets as a second master. A
    /// master that answers again is never fenced: it was slow, not gone.
    /// </summary>
    public static string? WhyFence(string silentMaster, bool answersNow, IReadOnlyList<SentinelView?> views, string? otherMaster)
    {
        if (answersNow)
        {
            return null;
        }

        if (otherMaster is not null && otherMaster != silentMaster)
        {
            return $"{otherMaster} is master now";
        }

        return views.Any(v => v is not null && v.Master == silentMaster && v.ObjectivelyDown)
            ? "the Sentinels agree it is down"
            : null;
    }

    /// <summary>
    /// Why a master that does not answer may be failed over now rather than by Sentinel's own election, or null. A quorum
    /// of Sentinels judging it down on their own (s_down, after down-after) is the verdict Sentinel itself would act on
    /// one timer tick later; but then every Sentinel that agrees starts a candidacy within the same few milliseconds,
    /// votes for itself, and a split vote costs two failover timeouts before the next try. Asked before any of them has
    /// started (no o_down, no failover in progress), one Sentinel fails over alone while the others stand aside.
    /// </summary>
    public static string? WhyForce(string silentMaster, IReadOnlyList<SentinelView?> views, int quorum)
    {
        var answering = views.OfType<SentinelView>().ToList();
        if (answering.Any(v => v.FailingOver) || answering.Any(v => v.Master != silentMaster))
        {
            return null;
        }

        var judges = answering.Count(v => v.SubjectivelyDown);
        return judges >= quorum ? $"{judges} Sentinels judge it down (quorum {quorum})" : null;
    }
}
