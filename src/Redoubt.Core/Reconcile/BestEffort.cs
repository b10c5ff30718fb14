using Redoubt.Core.Redis;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// A Redis command whose failure changes nothing that matters now: a node that does not answer keeps what it had,
/// and the healer's next pass repairs it (Sentinel timers, quorum, a replica's priority).
/// </summary>
internal static class BestEffort
{
    public static async Task RunAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (RedisAdminException)
        {
            // Left for the next pass.
        }
    }
}
