using System.Diagnostics;
using System.Globalization;
using Redoubt.Bench.Clusters;
using Redoubt.Bench.Resp;

namespace Redoubt.Bench.Storm;

/// <summary>
/// Steady pipelined writes to a third resource while the other two are faulted: batches of <see cref="Batch"/> SETs
/// over a 10,000-key space every <see cref="Every"/>, finding the master through its Sentinels. Paced rather than
/// flat out, so it loads the shared machine without starving the resources being measured.
/// </summary>
internal sealed class BackgroundLoad(RedoubtCluster cluster) : IAsyncDisposable
{
    private const int Batch = 64;
    private const int Keys = 10_000;
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = new();
    private Task? _loop;
    private bool _disposed;
    private long _acknowledged;
    private long _failures;

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long Failures => Interlocked.Read(ref _failures);

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Start(TimeSpan longest)
    {
        _stop.CancelAfter(longest);
        _clock.Start();
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var random = new Random(1);
        RespConnection? master = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var next = Stopwatch.GetTimestamp() + (long)(Every.TotalSeconds * Stopwatch.Frequency);
                try
                {
                    if (master is null)
                    {
                        var address = await cluster.Probe.MasterAsync(stop).ConfigureAwait(false) ?? throw new TimeoutException("no Sentinel names a master");
                        master = await RespConnection.ConnectAsync(address, cluster.Password, Timeout, stop).ConfigureAwait(false);
                    }

                    using (var limit = CancellationTokenSource.CreateLinkedTokenSource(stop))
                    {
                        limit.CancelAfter(Timeout);
                        for (var i = 0; i < Batch; i++)
                        {
                            var key = random.Next(Keys).ToString(CultureInfo.InvariantCulture);
                            await master.SendAsync(limit.Token, "SET", "load:" + key, key).ConfigureAwait(false);
                        }

                        for (var i = 0; i < Batch; i++)
                        {
                            (await master.ReadReplyAsync(limit.Token).ConfigureAwait(false)).ThrowIfError();
                        }
                    }

                    Interlocked.Add(ref _acknowledged, Batch);
                }
                catch (Exception e) when (RespFailure.Is(e) || (e is OperationCanceledException && !stop.IsCancellationRequested))
                {
                    Interlocked.Increment(ref _failures);
                    master?.Dispose();
                    master = null;
                }

                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop).ConfigureAwait(false);
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
            _clock.Stop();
        }
    }

    /// <summary>Stops the load; safe to call again (the storm stops it before its report, and disposes it on the way out).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
