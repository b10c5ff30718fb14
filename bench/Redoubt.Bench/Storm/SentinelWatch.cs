using System.Diagnostics;
using Redoubt.Bench.Resp;

namespace Redoubt.Bench.Storm;

/// <summary>One answer of one Sentinel to GET-MASTER-ADDR-BY-NAME; <c>Master</c> is null when it did not answer.</summary>
internal readonly record struct SentinelAnswer(int Sentinel, long At, string? Master, string? Error);

/// <summary>
/// Asks every Sentinel of a resource which master it names, every <see cref="Period"/>, each Sentinel on a loop of its
/// own so a dead or frozen one cannot delay the others' answers.
/// </summary>
internal sealed class SentinelWatch : IAsyncDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    private readonly IReadOnlyList<string> _sentinels;
    private readonly string? _password;
    private readonly string _masterName;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly Lock _lock = new();
    private readonly List<SentinelAnswer> _answers = [];

    private SentinelWatch(IReadOnlyList<string> sentinels, string masterName, string? password)
    {
        _sentinels = sentinels;
        _masterName = masterName;
        _password = password;
    }

    public static SentinelWatch Start(IReadOnlyList<string> sentinels, string masterName, string? password)
    {
        var watch = new SentinelWatch(sentinels, masterName, password);
        for (var i = 0; i < sentinels.Count; i++)
        {
            var index = i;
            watch._loops.Add(Task.Run(() => watch.PollAsync(index), CancellationToken.None));
        }

        return watch;
    }

    public IReadOnlyList<SentinelAnswer> Answers
    {
        get
        {
            lock (_lock)
            {
                return [.. _answers.OrderBy(a => a.At)];
            }
        }
    }

    private async Task PollAsync(int index)
    {
        RespConnection? connection = null;
        var stop = _stop.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var next = Stopwatch.GetTimestamp() + (long)(Period.TotalSeconds * Stopwatch.Frequency);
                string? master = null;
                string? error = null;
                try
                {
                    connection ??= await RespConnection.ConnectAsync(_sentinels[index], _password, Timeout, stop).ConfigureAwait(false);
                    var reply = await connection.CommandAsync(Timeout, stop, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", _masterName).ConfigureAwait(false);
                    master = reply.Array is [{ Text: { } host }, { Text: { } port }] ? $"{host}:{port}" : null;
                    error = master is null ? "no master named" : null;
                }
                catch (Exception e) when (RespFailure.Is(e))
                {
                    error = e is TimeoutException ? "timeout" : e.GetType().Name;
                    connection?.Dispose();
                    connection = null;
                }

                lock (_lock)
                {
                    _answers.Add(new SentinelAnswer(index, Stopwatch.GetTimestamp(), master, error));
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
            connection?.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stop.Dispose();
    }
}
