using System.Diagnostics;
using k8s;

namespace Redoubt.Bench.Pods;

/// <summary>
/// What a Service's Endpoints listed, polled every 20 ms from the fault on: when the master Service selected the
/// new master alone, against when the new master acknowledged its first write.
/// </summary>
internal sealed class EndpointsTimeline
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);
    private readonly Lock _lock = new();
    private readonly List<(long At, string[] Addresses)> _samples = [];

    public async Task PollAsync(IKubernetes admin, string ns, string service, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var endpoints = await admin.CoreV1.ReadNamespacedEndpointsAsync(service, ns, cancellationToken: ct).ConfigureAwait(false);
                var addresses = endpoints.Subsets?.SelectMany(s => s.Addresses ?? []).Select(a => a.Ip).Order(StringComparer.Ordinal).ToArray() ?? [];
                lock (_lock)
                {
                    _samples.Add((Stopwatch.GetTimestamp(), addresses));
                }

                await Task.Delay(Period, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>Waits (bounded) until a sample lists <paramref name="ip"/> alone.</summary>
    public async Task UntilOnlyAsync(string ip, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && FirstOnly(ip, 0) is null)
        {
            await Task.Delay(Period, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Milliseconds from <paramref name="firstWrite"/> (the new master's first acknowledged write) to the first sample
    /// after the fault that lists the new master alone; negative when the Service was there first; null if never.
    /// </summary>
    public double? LagAfter(string ip, long fault, long? firstWrite) =>
        FirstOnly(ip, fault) is { } at && firstWrite is { } write ? (at - write) * 1000.0 / Stopwatch.Frequency : null;

    private long? FirstOnly(string ip, long after)
    {
        lock (_lock)
        {
            foreach (var (at, addresses) in _samples)
            {
                if (at > after && addresses is [var only] && only == ip)
                {
                    return at;
                }
            }

            return null;
        }
    }
}
