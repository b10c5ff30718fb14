namespace Redoubt.Platforms.Local;

/// <summary>
/// A node that dies is restarted at once; one that keeps dying soon after starting waits longer each time
/// (up to 30 s), so a broken config or a stolen port does not become a tight crash loop.
/// </summary>
internal sealed class RestartBackoff
{
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);
    private int _quickExits;

    public DateTimeOffset NotBefore { get; private set; }

    public void Exited(DateTimeOffset startedAt, DateTimeOffset now)
    {
        _quickExits = now - startedAt < Stable ? _quickExits + 1 : 1;
        var delay = _quickExits <= 1 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(Longest.TotalMilliseconds, 250 * Math.Pow(2, _quickExits - 2)));
        NotBefore = now + delay;
    }
}
