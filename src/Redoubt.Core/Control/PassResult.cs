namespace Redoubt.Core.Control;

/// <summary>
/// How a pass ended, in controller-runtime's terms: done (the next change brings the next pass) or again after a
/// delay. A pass that fails throws instead, and the loop retries it with backoff.
/// </summary>
public readonly record struct PassResult(TimeSpan? RequeueAfter)
{
    public static PassResult Done => new(null);

    public static PassResult After(TimeSpan delay) => new(delay);
}
