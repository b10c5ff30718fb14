using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Redoubt.Bench.Writers;

/// <summary>
/// What a C# application sees: the same sequence of writes through a StackExchange.Redis database, retried at once
/// (after 1 ms) whenever the library reports a failure.
/// </summary>
internal sealed class ClientWriter(IDatabase database, long firstSequence) : ISequenceWriter
{
    private static readonly TimeSpan LongestRun = TimeSpan.FromMinutes(5);

    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _failures;

    public AckLog Log { get; } = new();

    public long Failures => Interlocked.Read(ref _failures);

    public long NextSequence { get; private set; } = firstSequence;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            while (!stop.IsCancellationRequested && clock.Elapsed < LongestRun)
            {
                var sequence = NextSequence++;
                var value = sequence.ToString(CultureInfo.InvariantCulture);
                try
                {
                    await database.StringSetAsync("seq:" + value, value).ConfigureAwait(false);
                    Log.Add(sequence);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    Interlocked.Increment(ref _failures);
                    await Task.Delay(1, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
