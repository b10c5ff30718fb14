using System.Diagnostics;
using StackExchange.Redis;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// Writes seq:1, seq:2, … one at a time through a client of its own and remembers which writes were acknowledged
/// and when, so a test can measure the write gap around a fault and count acknowledged writes lost.
/// </summary>
/// <remarks>
/// The writer owns everything its loop touches (the client and the stop signal) and releases them only after the
/// loop has ended. It used to borrow the test's client and hand its loop a token read from a source that disposal
/// freed; the loop then depended on every caller tearing things down in the right order, and a loop still running
/// when either was disposed died with ObjectDisposedException, which surfaced only when StopAsync awaited it.
/// </remarks>
internal sealed class SequenceWriter : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationToken _stopping;
    private readonly List<(long Sequence, long At)> _acknowledged = [];
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;
    private Task? _stopped;
    private int _failures;

    private SequenceWriter(ConnectionMultiplexer client)
    {
        _client = client;
        _stopping = _stop.Token;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Connects with <paramref name="options"/> and starts writing; disposing the writer closes that connection.</summary>
    public static async Task<SequenceWriter> StartAsync(ConfigurationOptions options)
    {
        var client = await ConnectionMultiplexer.ConnectAsync(options);
        return new SequenceWriter(client);
    }

    public int Failures => Volatile.Read(ref _failures);

    public long NowTicks => _clock.ElapsedTicks;

    public int Acknowledged
    {
        get
        {
            lock (_lock)
            {
                return _acknowledged.Count;
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> more writes have been acknowledged.</summary>
    public async Task WaitForMoreAsync(int count, TimeSpan timeout)
    {
        var goal = Acknowledged + count;
        var limit = Stopwatch.StartNew();
        while (Acknowledged < goal)
        {
            if (_loop.IsCompleted)
            {
                // A loop that died of an unexpected exception shows it here, where the test waits on it, rather
                // than as a timeout now and the exception only at the end.
                await _loop;
                Assert.Fail($"the writer stopped after {Acknowledged} acknowledged writes while a test waited for {count} more");
            }

            if (limit.Elapsed >= timeout)
            {
                var stalls = StallWatch.Since(DateTime.UtcNow - limit.Elapsed);
                Assert.Fail($"the writer got only {Acknowledged - goal + count} of {count} writes acknowledged within {timeout.TotalSeconds:F0} s ({Failures} failures){(stalls.Count == 0 ? "" : "; " + string.Join("; ", stalls))}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// The longest time without an acknowledged write from <paramref name="faultTicks"/> on (ms): the write gap
    /// a fault caused, counted from the fault itself.
    /// </summary>
    public double GapAfter(long faultTicks)
    {
        lock (_lock)
        {
            var longest = 0L;
            var previous = faultTicks;
            foreach (var (_, at) in _acknowledged.Where(a => a.At > faultTicks))
            {
                longest = Math.Max(longest, at - previous);
                previous = at;
            }

            return longest * 1000.0 / Stopwatch.Frequency;
        }
    }

    /// <summary>Stops writing and waits for the write in flight; every caller (and dispose) shares the one stop.</summary>
    public Task StopAsync()
    {
        lock (_lock)
        {
            return _stopped ??= StopLoopAsync();
        }
    }

    /// <summary>How long before <paramref name="ticks"/> (of <see cref="NowTicks"/>) each of <paramref name="sequences"/> was acknowledged, in ms.</summary>
    public IReadOnlyList<double> AcknowledgedBefore(IEnumerable<long> sequences, long ticks)
    {
        lock (_lock)
        {
            var at = _acknowledged.ToDictionary(a => a.Sequence, a => a.At);
            return [.. sequences.Select(s => (ticks - at[s]) * 1000.0 / Stopwatch.Frequency)];
        }
    }

    /// <summary>The acknowledged sequence numbers missing from <paramref name="master"/>.</summary>
    public async Task<List<long>> MissingOnAsync(IDatabase master)
    {
        List<long> acked;
        lock (_lock)
        {
            acked = [.. _acknowledged.Select(a => a.Sequence)];
        }

        var missing = new List<long>();
        foreach (var batch in acked.Chunk(1000))
        {
            var values = await master.StringGetAsync([.. batch.Select(s => (RedisKey)$"seq:{s}")]);
            missing.AddRange(batch.Where((_, i) => values[i].IsNull));
        }

        return missing;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            // Only now, with the loop ended (even if it failed), is nothing left that uses the client or the token.
            await _client.DisposeAsync();
            _stop.Dispose();
        }
    }

    private async Task StopLoopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    private async Task RunAsync()
    {
        var db = _client.GetDatabase();
        long next = 0;
        while (!_stopping.IsCancellationRequested)
        {
            var sequence = ++next;
            try
            {
                await db.StringSetAsync($"seq:{sequence}", sequence);
                lock (_lock)
                {
                    _acknowledged.Add((sequence, _clock.ElapsedTicks));
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException || (e is ObjectDisposedException && !_stopping.IsCancellationRequested))
            {
                // Not acknowledged: the write may or may not have landed, and it does not count either way. The client
                // is ours and outlives this loop, so an ObjectDisposedException here is StackExchange.Redis tearing down
                // a physical connection during a failover ("Connection is being disposed"), not our disposal: a failed
                // write like any other (it ended the loop, and the test, in 1 of 10 suite runs).
                Interlocked.Increment(ref _failures);
                try
                {
                    await Task.Delay(1, _stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
