namespace Redoubt.Core.Reconcile;

/// <summary>
/// Delays that end on boundaries every resource shares (the multiples of the period on the clock), so the watches of
/// all resources wake together: one timer pass, one burst of thread-pool work and one epoll wake-up for all of them,
/// instead of one of each per resource spread over the period. Each wake-up of an idle process costs far more than the
/// PING it sends: with 10 resources, master watches waking on their own accounted for about half the idle CPU.
/// </summary>
public static class Cadence
{
    /// <summary>The time from now to the next boundary of <paramref name="period"/>; never less than a tenth of it, so a timer that fires a little early does not wake twice.</summary>
    public static TimeSpan UntilNext(TimeSpan period, TimeProvider time)
    {
        var rest = period.Ticks - (time.GetUtcNow().UtcTicks % period.Ticks);
        return TimeSpan.FromTicks(rest < period.Ticks / 10 ? rest + period.Ticks : rest);
    }
}
