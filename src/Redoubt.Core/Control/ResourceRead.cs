using Redoubt.Model;

namespace Redoubt.Core.Control;

/// <summary>
/// What a pass found when it read one key from where resources come from. <typeparamref name="TItem"/> is the
/// platform's own object (the stored resource locally, the Redis object on Kubernetes), handed back to the source
/// when the pass reports or releases, so nothing is read twice.
/// </summary>
public abstract record ResourceRead<TItem>
{
    private ResourceRead()
    {
    }

    /// <summary>A resource to reconcile, as the user declared it.</summary>
    public sealed record Found(TItem Item, RedisResource Resource) : ResourceRead<TItem>;

    /// <summary>
    /// Not reconciled this time (paused, invalid): the source dealt with it. The reconciler is kept, hears no node
    /// events meanwhile, and the pass ends with <paramref name="Result"/>.
    /// </summary>
    public sealed record Held(PassResult Result) : ResourceRead<TItem>;

    /// <summary>Gone, or going: the loop disposes the reconciler, then hands <paramref name="Item"/> (if any) back for cleanup.</summary>
    public sealed record Gone(TItem? Item) : ResourceRead<TItem>;
}
