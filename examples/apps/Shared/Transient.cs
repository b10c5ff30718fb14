// The retry policy every example uses (copy it with the example): during a failover a command fails fast with
// RedisConnectionException (no master reachable), RedisTimeoutException (sent to a master that died) or READONLY (sent
// to the old master, now a replica), and the new master answers within a few
// seconds. A short retry loop rides over that; anything else is a real error.
using StackExchange.Redis;

namespace Redoubt.Examples.Shared;

public static class Transient
{
    /// <summary>How long an operation is retried before the failure goes to the caller.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// No master reachable, no reply in time, or a write that reached a node which is no longer (READONLY) or not yet
    /// (LOADING its data) the master: the client has not followed the failover yet, and will within a moment. A
    /// MULTI/EXEC whose writes were refused that way ends in EXECABORT; the examples' transactions hold only
    /// well-formed commands, so for them EXECABORT means the same.
    /// </summary>
    public static bool IsTransient(Exception e) =>
        e is RedisConnectionException or RedisTimeoutException
        || (e is RedisServerException && RefusedByANonMaster.Any(code => e.Message.StartsWith(code, StringComparison.Ordinal)));

    private static readonly string[] RefusedByANonMaster = ["READONLY", "LOADING", "EXECABORT"];

    /// <summary>
    /// Runs <paramref name="operation"/> until it succeeds; <paramref name="failedAttempt"/> is called after each failed
    /// attempt, which may or may not have been carried out by Redis (the reply, not the command, may be what was lost).
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> operation, Action? failedAttempt, CancellationToken cancellationToken)
    {
        var giveUp = DateTime.UtcNow + GiveUpAfter;
        while (true)
        {
            try
            {
                return await operation().WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Abandoned, not undone: the command may still be carried out.
                failedAttempt?.Invoke();
                throw;
            }
            catch (Exception e) when (IsTransient(e) && DateTime.UtcNow < giveUp)
            {
                failedAttempt?.Invoke();
                // A back-off between attempts, not a wait for a condition: the next attempt is the check.
                await Task.Delay(Pause, cancellationToken);
            }
        }
    }
}
