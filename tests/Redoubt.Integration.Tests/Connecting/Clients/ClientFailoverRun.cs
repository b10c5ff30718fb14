using System.Diagnostics;
using Redoubt.Model;
using Redoubt.Platforms.Local;
using StackExchange.Redis;

namespace Redoubt.Integration.Tests.Connecting.Clients;

/// <summary>
/// The three client libraries writing at once on one resource through a kill -9 of its master and then a planned
/// switchover, so that one kill and one switchover measure all three. Before each fault, and before the end, the
/// resource is Ready and every writer has been writing for a second since; at the end every acknowledged key is read
/// back from the final master. Shared by the integration test and <c>bench clients</c>, which differ only in how they
/// get a resource, kill a process and read a node.
/// </summary>
/// <param name="kill">Sends SIGKILL to a pid (the caller's own signal helper, which fails loudly).</param>
/// <param name="openNode">A connection to one node by address, able to read every key.</param>
/// <param name="log">Progress, one line at a time.</param>
internal sealed class ClientFailoverRun(LocalControlPlane controlPlane, string resource, Action<int> kill, Func<string, Task<IDatabase>> openNode, Action<string> log)
{
    public const string Namespace = "default";
    public const string Kill = "kill -9";
    public const string Switchover = "switchover";

    /// <summary>How long before a fault its gap window opens: the gap is measured from writes that were flowing.</summary>
    public const long LeadMs = 1000;

    /// <summary>How long every writer must keep writing after Ready before the next step, so a client that writes once and stalls again is caught in the window.</summary>
    private const long SteadyMs = 1000;

    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Writing = TimeSpan.FromSeconds(30);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <param name="tag">Added to each client's key prefix, so that runs on the same resource never share keys.</param>
    public async Task<IReadOnlyList<ClientFaultResult>> RunAsync(string? tag, CancellationToken cancellationToken)
    {
        var credentials = await controlPlane.GetCredentialsAsync(Namespace, resource, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the control plane has no credentials for {resource}");
        var clients = await ClientLibraries.StartAllAsync(credentials, tag).ConfigureAwait(false);
        try
        {
            await EveryClientWritesAsync(clients, Now() + SteadyMs, "the start", cancellationToken).ConfigureAwait(false);

            var master = (await WaitUntilAsync(s => s.Phase == Phases.Ready, "Ready before the kill", cancellationToken).ConfigureAwait(false)).Nodes.Single(n => n.Role == "master");
            var pid = master.Pid ?? throw new InvalidOperationException($"{resource}'s status has no pid for its master {master.Name}");
            var killedAt = Now();
            kill(pid);
            Log($"killed the master {master.Name} ({master.Address}, pid {pid})");
            await WaitUntilAsync(s => s.Phase == Phases.Ready && s.Master != master.Address && s.Nodes.All(n => n.Pid != pid), "Ready with a new master after the kill", cancellationToken).ConfigureAwait(false);
            await EveryClientWritesAsync(clients, Now() + SteadyMs, "the kill -9", cancellationToken).ConfigureAwait(false);

            var before = (await WaitUntilAsync(s => s.Phase == Phases.Ready, "Ready before the switchover", cancellationToken).ConfigureAwait(false)).Master;
            var switchedAt = Now();
            var switchover = await controlPlane.FailoverAsync(Namespace, resource, null, cancellationToken).ConfigureAwait(false);
            if (!switchover.Succeeded)
            {
                throw new InvalidOperationException($"the switchover of {resource} failed: {switchover.Message}");
            }

            Log($"switched over from {switchover.From} to {switchover.To}, writes paused {switchover.WritePauseMs:F0} ms");
            await WaitUntilAsync(s => s.Phase == Phases.Ready && s.Master != before, "Ready with the new master after the switchover", cancellationToken).ConfigureAwait(false);
            await EveryClientWritesAsync(clients, Now() + SteadyMs, "the switchover", cancellationToken).ConfigureAwait(false);

            var endedAt = Now();
            await Task.WhenAll(clients.Select(c => c.StopAsync())).WaitAsync(Writing, cancellationToken).ConfigureAwait(false);
            var final = (await WaitUntilAsync(s => s.Phase == Phases.Ready && s.Master is not null, "Ready at the end", cancellationToken).ConfigureAwait(false)).Master!;
            var node = await openNode(final).ConfigureAwait(false);

            var results = new List<ClientFaultResult>();
            foreach (var client in clients)
            {
                var lost = await client.Writes.LostOnAsync(node, cancellationToken).ConfigureAwait(false);
                results.Add(Measure(client.Writes, Kill, killedAt, switchedAt, long.MinValue, switchedAt, lost, client.Name));
                // The writes acknowledged while the writers stopped are the switchover's too: every write is some fault's to lose.
                results.Add(Measure(client.Writes, Switchover, switchedAt, endedAt + 1, switchedAt, long.MaxValue, lost, client.Name));
            }

            return results;
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One client's figures for one fault: the gap in [fault - <see cref="LeadMs"/>, <paramref name="endMs"/>), and the
    /// writes acknowledged in [<paramref name="fromMs"/>, <paramref name="untilMs"/>), which are the fault's to lose.
    /// </summary>
    private static ClientFaultResult Measure(ClientWrites writes, string fault, long faultMs, long endMs, long fromMs, long untilMs, HashSet<long> lost, string client)
    {
        var gap = writes.LongestGap(faultMs - LeadMs, endMs - 1);
        var acknowledged = writes.Between(fromMs, untilMs);
        var lostHere = acknowledged.Where(a => lost.Contains(a.N)).ToList();
        return new ClientFaultResult(client, fault, gap.Ms, gap.FromMs - faultMs, acknowledged.Count, lostHere.Count,
            writes.FailuresBetween(faultMs - LeadMs, endMs), writes.LastErrorBetween(faultMs - LeadMs, endMs),
            [.. lostHere.Take(5).Select(a => (a.N, a.AtMs - faultMs))]);
    }

    /// <summary>Waits until every writer has a write acknowledged at or after <paramref name="sinceMs"/>; a writer that stopped, or stays behind, fails the run with its last error.</summary>
    private async Task EveryClientWritesAsync(IReadOnlyList<IFailoverClient> clients, long sinceMs, string after, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (clients.FirstOrDefault(c => c.StoppedByItself) is { } stopped)
            {
                throw new InvalidOperationException($"{stopped.Name}'s writer stopped by itself after {after}: {await stopped.HowItStoppedAsync().ConfigureAwait(false)}");
            }

            var behind = clients.Where(c => (c.Writes.LastAcknowledgedMs ?? long.MinValue) < sinceMs).ToList();
            if (behind.Count == 0)
            {
                Log($"every client writes again after {after} ({string.Join(", ", clients.Select(c => $"{c.Name} {c.Writes.Count}"))} acknowledged so far)");
                return;
            }

            if (clock.Elapsed > Writing)
            {
                throw new TimeoutException($"after {after}, no write was acknowledged within {Writing.TotalSeconds:F0} s for "
                    + string.Join("; ", behind.Select(c => $"{c.Name} ({c.Writes.Count} acknowledged in all, last error: {c.Writes.LastError ?? "none"})"))
                    + ": check that the resource has a master and what the client's errors say");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RedisStatus> WaitUntilAsync(Func<RedisStatus, bool> condition, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        RedisStatus? last = null;
        while (clock.Elapsed < Recovery)
        {
            last = (await controlPlane.GetAsync(Namespace, resource, cancellationToken).ConfigureAwait(false))?.Status;
            if (last is not null && condition(last))
            {
                Log($"{what}: after {clock.ElapsedMilliseconds} ms");
                return last;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"{resource} was not {what} within {Recovery.TotalSeconds:F0} s: phase {last?.Phase}, master {last?.Master}; "
            + string.Join("; ", (last?.Conditions ?? []).Where(c => c.Status != "True").Select(c => $"{c.Type} {c.Reason}: {c.Message}")));
    }

    private void Log(string line) => log($"{_clock.Elapsed.TotalSeconds,5:F1} s: {line}");

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
