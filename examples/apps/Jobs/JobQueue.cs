// A job queue on a Redis Stream with a consumer group: producers XADD jobs; workers read them with XREADGROUP, do the
// work, then XACK. A job is processed at least once: a worker that dies between reading and acknowledging leaves its
// jobs pending, and another worker takes them over with XAUTOCLAIM once they have been idle long enough.
//
//   ./redoubt up -f examples/redis.yaml
//   ./redoubt credentials example -o json | dotnet run --project examples/apps -- jobs
using System.Collections.Concurrent;
using System.Globalization;
using Redoubt.Examples.Shared;
using StackExchange.Redis;

namespace Redoubt.Examples.Jobs;

public sealed class JobQueue(IDatabase redis)
{
    public const string Stream = "jobs";
    public const string Group = "workers";

    private static readonly string[] Workers = ["worker-1", "worker-2"];

    /// <summary>How long a job may stay pending with its worker before another worker takes it over.</summary>
    public static readonly TimeSpan ClaimAfter = TimeSpan.FromSeconds(1);

    /// <summary>How long the end of a run waits for every enqueued job to be processed.</summary>
    public static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<string, bool> _enqueued = new();
    private readonly ConcurrentDictionary<string, int> _processed = new();
    private readonly ConcurrentDictionary<string, bool> _abandoned = new();
    private long _claimed;
    private long _failedAttempts;

    /// <summary>Creates the consumer group (and the stream) unless they exist.</summary>
    public async Task EnsureGroupAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Transient.RetryAsync(() => redis.StreamCreateConsumerGroupAsync(Stream, Group, StreamPosition.Beginning, createStream: true), Failed, cancellationToken);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another worker created it first.
        }
    }

    /// <summary>Adds a job; a retried XADD may add it twice, which at-least-once workers handle anyway.</summary>
    public Task<RedisValue> EnqueueAsync(string jobId, string payload, CancellationToken cancellationToken) =>
        Transient.RetryAsync(() => redis.StreamAddAsync(Stream, [new("job", jobId), new("payload", payload)]), Failed, cancellationToken);

    /// <summary>New jobs for <paramref name="consumer"/>: they are pending with it until it acknowledges them.</summary>
    public Task<StreamEntry[]> ReadAsync(string consumer, int count, CancellationToken cancellationToken) =>
        Transient.RetryAsync(() => redis.StreamReadGroupAsync(Stream, Group, consumer, StreamPosition.NewMessages, count), Failed, cancellationToken);

    public Task<long> AcknowledgeAsync(RedisValue entryId, CancellationToken cancellationToken) =>
        Transient.RetryAsync(() => redis.StreamAcknowledgeAsync(Stream, Group, entryId), Failed, cancellationToken);

    /// <summary>Takes over jobs that have been pending with any consumer (a dead one) for longer than <see cref="ClaimAfter"/>.</summary>
    public async Task<StreamEntry[]> ClaimAbandonedAsync(string consumer, CancellationToken cancellationToken)
    {
        var result = await Transient.RetryAsync(
            () => redis.StreamAutoClaimAsync(Stream, Group, consumer, (long)ClaimAfter.TotalMilliseconds, "0-0", 100), Failed, cancellationToken);
        return result.ClaimedEntries;
    }

    /// <summary>A worker: takes over abandoned jobs, reads new ones, works, acknowledges after the work.</summary>
    public async Task WorkAsync(string consumer, Func<StreamEntry, Task> work, CancellationToken stop)
    {
        var lastClaim = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            var entries = await ReadAsync(consumer, 10, stop);
            if (DateTime.UtcNow - lastClaim > ClaimAfter / 2)
            {
                lastClaim = DateTime.UtcNow;
                var claimed = await ClaimAbandonedAsync(consumer, stop);
                Interlocked.Add(ref _claimed, claimed.Length);
                entries = [.. entries, .. claimed];
            }

            foreach (var entry in entries)
            {
                await work(entry);
                // After the work, never before: a worker dying in between leaves the job pending for another.
                await AcknowledgeAsync(entry.Id, stop);
            }

            if (entries.Length == 0 && !await Pace.ThinkAsync(stop))
            {
                return;
            }
        }
    }

    /// <summary>A worker that reads jobs and dies before acknowledging them (a crash, a kill -9).</summary>
    public async Task<StreamEntry[]> ReadAndDieAsync(string consumer, int count, CancellationToken cancellationToken)
    {
        var taken = await ReadAsync(consumer, count, cancellationToken);
        foreach (var entry in taken)
        {
            _abandoned[entry["job"].ToString()] = true;
        }

        return taken;
    }

    public IReadOnlyCollection<string> Enqueued => [.. _enqueued.Keys];

    /// <summary>How many times each job was processed (at least once; more after a takeover or a lost XACK).</summary>
    public IReadOnlyDictionary<string, int> Processed => _processed;

    /// <summary>The jobs a worker took and died with.</summary>
    public IReadOnlyCollection<string> Abandoned => [.. _abandoned.Keys];

    public long Claimed => Interlocked.Read(ref _claimed);

    /// <summary>
    /// A producer and two workers until <paramref name="stop"/>, with a third worker that dies holding jobs early on;
    /// then the workers go on until every enqueued job has been processed (or <see cref="DrainLimit"/>).
    /// </summary>
    public async Task<AppRun> RunAsync(CancellationToken stop)
    {
        await EnsureGroupAsync(stop);
        // Job ids unique to this run: a stream left by an earlier run holds jobs of the same numbers.
        var run = Guid.NewGuid().ToString("N")[..8];
        var jobs = 0;
        async Task EnqueueNextAsync()
        {
            var jobId = $"{run}-{jobs++.ToString(CultureInfo.InvariantCulture)}";
            await EnqueueAsync(jobId, "resize image", stop);
            _enqueued[jobId] = true;
        }

        // The doomed worker reads first, so it surely holds jobs when it dies.
        for (var i = 0; i < 10; i++)
        {
            await EnqueueNextAsync();
        }

        await ReadAndDieAsync("worker-doomed", 10, stop);
        using var drained = new CancellationTokenSource();
        var workers = Workers.Select(w => Task.Run(() => WorkAsync(w, RecordAsync, drained.Token), CancellationToken.None)).ToList();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await EnqueueNextAsync();
                if (!await Pace.ThinkAsync(stop))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped in the middle of an XADD: it was not acknowledged.
        }

        var deadline = DateTime.UtcNow + DrainLimit;
        while (_enqueued.Keys.Any(j => !_processed.ContainsKey(j)) && DateTime.UtcNow < deadline && workers.All(w => !w.IsCompleted))
        {
            await Task.Delay(50, CancellationToken.None);
        }

        await drained.CancelAsync();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException)
        {
            // The workers' stop.
        }

        var unprocessed = _enqueued.Keys.Count(j => !_processed.ContainsKey(j));
        return new AppRun("jobs", _enqueued.Count + _processed.Values.Sum(), Interlocked.Read(ref _failedAttempts),
            $"{_enqueued.Count} jobs enqueued, {_processed.Count} processed ({_processed.Values.Count(n => n > 1)} more than once), {_abandoned.Count} abandoned by a dead worker, {Claimed} taken over, {unprocessed} never processed");
    }

    private Task RecordAsync(StreamEntry entry)
    {
        _processed.AddOrUpdate(entry["job"].ToString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    private void Failed() => Interlocked.Increment(ref _failedAttempts);
}
