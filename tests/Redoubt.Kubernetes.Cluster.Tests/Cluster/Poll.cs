using System.Diagnostics;

namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>Waiting for a condition against a generous deadline, never for a fixed time.</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(string what, Func<Task<T?>> attempt, TimeSpan deadline, CancellationToken ct, Func<string>? context = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var result = await attempt();
            if (result is not null)
            {
                return result;
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"waited {deadline.TotalSeconds} s for {what}" + (context is null ? "" : $"\n{context()}"));
            }

            await Task.Delay(100, ct);
        }
    }
}
