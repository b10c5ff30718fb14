namespace Redoubt.Core.Control;

/// <summary>base × 2^failures, capped: the delay before the next attempt after <c>failures</c> failed ones.</summary>
public sealed record ExponentialBackoff(TimeSpan Base, TimeSpan Maximum)
{
    public static ExponentialBackoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));

    public TimeSpan Delay(int failures)
    {
        var exponent = Math.Min(failures, 30);
        var ticks = Base.Ticks * Math.Pow(2, exponent);
        return ticks >= Maximum.Ticks ? Maximum : TimeSpan.FromTicks((long)ticks);
    }
}
