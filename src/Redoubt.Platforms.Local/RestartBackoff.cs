namespace Redoubt.Platforms.Local;

/// <summary>
/// A node that dies is restarted at once; one that keeps dying soon after starting waits longer each time
/// (up to 30 s), so a broken config or a stolen port does not become a tight crash loop. Those kill a node within
/// milliseconds of its start: a node that ran for a few seconds started properly, and its exit (a kill, a crash
/// under load) is no loop. A node Redoubt fenced itself is restarted at once whatever came before.
/// </summary>
internal sealed class RestartBackoff
{
    /// <summary>
    /// Long enough for anything a bad start dies of, short enough that a healthy node killed again and again (the
    /// storm benchmark kills a master every few seconds) is never held back: with 10 s, it waited up to 30 s.
    /// </summary>
    public static readonly TimeSpan Stable = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);
    private int _quickExits;

    public DateTimeOffset NotBefore { get; private set; }

    public void Exited(DateTimeOffset startedAt, DateTimeOffset now, bool fenced = false)
    {
        _quickExits = fenced ? 0 : now - startedAt < Stable ? _quickExits + 1 : 1;
        var delay = _quickExits <= 1 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(Longest.TotalMilliseconds, 250 * Math.Pow(2, _quickExits - 2)));
        NotBefore = now + delay;
    }
}
