using System.Diagnostics;
using StackExchange.Redis;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// Writes seq:1, seq:2, … one at a time through a Sentinel-guided client and remembers which writes were
/// acknowledged and when, so a test can measure the write gap around a fault and count acknowledged writes lost.
/// </summary>
internal sealed class SequenceWriter : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Sequence, long At)> _acknowledged = [];
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task? _loop;

    public SequenceWriter(ConnectionMultiplexer client) => _client = client;

    public int Failures { get; private set; }

    public long NowTicks => _clock.ElapsedTicks;

    public void Start() => _loop = Task.Run(RunAsync);

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
            Assert.True(limit.Elapsed < timeout, $"the writer got only {Acknowledged - goal + count} of {count} writes acknowledged within {timeout.TotalSeconds:F0} s ({Failures} failures)");
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

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
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

    private async Task RunAsync()
    {
        var db = _client.GetDatabase();
        long next = 0;
        while (!_stop.IsCancellationRequested)
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
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Failures++;
                try
                {
                    await Task.Delay(1, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
