using System.Diagnostics;
using System.Globalization;
using Redoubt.Bench.Resp;

namespace Redoubt.Bench.Writers;

/// <summary>
/// The server-side measurement: a minimal writer that asks the Sentinels for the master, checks ROLE, and SETs
/// sequence-numbered keys; on any error it asks the Sentinels again at once, every few milliseconds, with every
/// call bounded by <see cref="OperationTimeout"/>. What it measures is the failover itself, not a client library.
/// </summary>
/// <param name="longestRun">A writer left running by mistake stops by itself after this long (default 5 minutes).</param>
/// <param name="pace">
/// When set, at most one write per <paramref name="pace"/>: a run of tens of minutes then keeps a dataset that fits the
/// default maxmemory, at the price of a gap resolution of about one pace.
/// </param>
internal sealed class RawSentinelWriter(IReadOnlyList<string> sentinels, string masterName, string? password, long firstSequence, TimeSpan? longestRun = null, TimeSpan? pace = null) : ISequenceWriter
{
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(2);

    private readonly TimeSpan _longestRun = longestRun ?? TimeSpan.FromMinutes(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly RespConnection?[] _sentinels = new RespConnection?[sentinels.Count];
    private Task? _loop;
    private long _failures;
    private string? _lastFailure;
    private int _preferred;

    public AckLog Log { get; } = new();

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The last failed connection or command, for a run that gives up waiting on the writer.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    public long NextSequence { get; private set; } = firstSequence;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        RespConnection? master = null;
        try
        {
            while (!stop.IsCancellationRequested && clock.Elapsed < _longestRun)
            {
                master ??= await FindMasterAsync(stop).ConfigureAwait(false);
                if (master is null)
                {
                    await Task.Delay(RetryPause, stop).ConfigureAwait(false);
                    continue;
                }

                var sequence = NextSequence++;
                var value = sequence.ToString(CultureInfo.InvariantCulture);
                try
                {
                    (await master.CommandAsync(OperationTimeout, stop, "SET", "seq:" + value, value).ConfigureAwait(false)).ThrowIfError();
                    Log.Add(sequence, master.Address);
                    if (pace is { } wait)
                    {
                        await Task.Delay(wait, stop).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (RespFailure.Is(e))
                {
                    Failed(e);
                    master.Dispose();
                    master = null;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
        finally
        {
            master?.Dispose();
            foreach (var sentinel in _sentinels)
            {
                sentinel?.Dispose();
            }
        }
    }

    /// <summary>The master as the Sentinels name it, connected and confirmed by ROLE; null when none is usable right now.</summary>
    private async Task<RespConnection?> FindMasterAsync(CancellationToken stop)
    {
        for (var i = 0; i < _sentinels.Length; i++)
        {
            var index = (_preferred + i) % _sentinels.Length;
            var address = await AskAsync(index, stop).ConfigureAwait(false);
            if (address is null)
            {
                continue;
            }

            RespConnection? candidate = null;
            try
            {
                candidate = await RespConnection.ConnectAsync(address, password, OperationTimeout, stop).ConfigureAwait(false);
                var role = await candidate.CommandAsync(OperationTimeout, stop, "ROLE").ConfigureAwait(false);
                if (role.Array.Count > 0 && role.Array[0].Text == "master")
                {
                    _preferred = index;
                    return candidate;
                }
            }
            catch (Exception e) when (RespFailure.Is(e))
            {
                Failed(e);
            }

            candidate?.Dispose();
        }

        return null;
    }

    private void Failed(Exception e)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _lastFailure, e.Message);
    }

    private async Task<string?> AskAsync(int index, CancellationToken stop)
    {
        try
        {
            _sentinels[index] ??= await RespConnection.ConnectAsync(sentinels[index], password, OperationTimeout, stop).ConfigureAwait(false);
            var reply = await _sentinels[index]!.CommandAsync(OperationTimeout, stop, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName).ConfigureAwait(false);
            return reply.Array is [{ Text: { } host }, { Text: { } port }] ? $"{host}:{port}" : null;
        }
        catch (Exception e) when (RespFailure.Is(e))
        {
            Volatile.Write(ref _lastFailure, $"{sentinels[index]}: {e.Message}");
            _sentinels[index]?.Dispose();
            _sentinels[index] = null;
            return null;
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
