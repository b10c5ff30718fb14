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
}
