// Simulated users think between requests: the examples stay a light load that a laptop (or a 2-core CI machine
// running a resource's six processes beside them) carries without starving anything.
namespace Redoubt.Examples.Shared;

public static class Pace
{
    public static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(2);

    /// <summary>Returns false once <paramref name="stop"/> is cancelled.</summary>
    public static async Task<bool> ThinkAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(ThinkTime, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
