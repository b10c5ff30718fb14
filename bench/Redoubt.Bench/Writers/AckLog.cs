using System.Diagnostics;

namespace Redoubt.Bench.Writers;

/// <summary>
/// Every acknowledged write of one run: its sequence number and when the acknowledgement arrived
/// (<see cref="Stopwatch.GetTimestamp"/>, the clock the fault times are taken on).
/// </summary>
internal sealed class AckLog
{
    private readonly Lock _lock = new();
    private readonly List<(long Sequence, long At, string? Node)> _acks = new(1 << 16);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _acks.Count;
            }
        }
    }

    /// <param name="node">The node that acknowledged the write, when the writer knows it.</param>
    public void Add(long sequence, string? node = null)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _acks.Add((sequence, now, node));
        }
    }

    /// <summary>Acknowledgements after <paramref name="timestamp"/> as runs of consecutive writes to the same node, in order.</summary>
    public List<(string Node, int Count)> NodesAfter(long timestamp)
    {
        var runs = new List<(string Node, int Count)>();
        lock (_lock)
        {
            foreach (var (_, at, node) in _acks)
            {
                if (at <= timestamp || node is null)
                {
                    continue;
                }

                if (runs.Count > 0 && runs[^1].Node == node)
                {
                    runs[^1] = (node, runs[^1].Count + 1);
                }
                else
                {
                    runs.Add((node, 1));
                }
            }
        }

        return runs;
    }

    /// <summary>The longest time without an acknowledged write from <paramref name="fault"/> to the last acknowledgement (ms).</summary>
    public double GapAfterMs(long fault)
    {
        lock (_lock)
        {
            var longest = 0L;
            var previous = fault;
            foreach (var (_, at, _) in _acks)
            {
                if (at <= fault)
                {
                    continue;
                }

                longest = Math.Max(longest, at - previous);
                previous = at;
            }

            return longest * 1000.0 / Stopwatch.Frequency;
        }
    }

    /// <summary>
    /// The longest time without an acknowledged write from <paramref name="fault"/> until <paramref name="until"/>,
    /// with the acknowledgements that bound it (timestamps; the first is <paramref name="fault"/> when the gap starts there).
    /// </summary>
    public (double Ms, long From, long To) LongestGapBetween(long fault, long until)
    {
        lock (_lock)
        {
            var (from, to) = (fault, fault);
            var previous = fault;
            // Acknowledgements are appended in time order: find the first after the fault by binary search, the log is long.
            var low = 0;
            var high = _acks.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (_acks[middle].At <= fault)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            for (var i = low; i < _acks.Count && _acks[i].At <= until; i++)
            {
                var at = _acks[i].At;
                if (at - previous > to - from)
                {
                    (from, to) = (previous, at);
                }

                previous = at;
            }

            return ((to - from) * 1000.0 / Stopwatch.Frequency, from, to);
        }
    }

    /// <summary>The sequence numbers acknowledged from position <paramref name="start"/> on, and the position after them.</summary>
    public (List<long> Sequences, int Next) SequencesFrom(int start)
    {
        lock (_lock)
        {
            return ([.. _acks.Skip(start).Select(a => a.Sequence)], _acks.Count);
        }
    }

    /// <summary>The node that acknowledged the last write at or before <paramref name="timestamp"/>.</summary>
    public string? NodeAt(long timestamp)
    {
        lock (_lock)
        {
            for (var i = _acks.Count - 1; i >= 0; i--)
            {
                if (_acks[i].At <= timestamp)
                {
                    return _acks[i].Node;
                }
            }

            return null;
        }
    }

    /// <summary>When <paramref name="node"/> first acknowledged a write after <paramref name="timestamp"/>; null if it has not.</summary>
    public long? FirstOnAfter(string node, long timestamp)
    {
        lock (_lock)
        {
            foreach (var (_, at, by) in _acks)
            {
                if (at > timestamp && by == node)
                {
                    return at;
                }
            }

            return null;
        }
    }

    public bool AnyAfter(long timestamp)
    {
        lock (_lock)
        {
            return _acks.Count > 0 && _acks[^1].At > timestamp;
        }
    }

    public List<long> Sequences()
    {
        lock (_lock)
        {
            return [.. _acks.Select(a => a.Sequence)];
        }
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> more writes are acknowledged; false on timeout.</summary>
    public async Task<bool> WaitForMoreAsync(int count, TimeSpan limit, CancellationToken cancellationToken)
    {
        var goal = Count + count;
        var clock = Stopwatch.StartNew();
        while (Count < goal)
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Waits (bounded) for the first acknowledgement after <paramref name="timestamp"/>; false on timeout.</summary>
    public async Task<bool> WaitForAckAfterAsync(long timestamp, TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!AnyAfter(timestamp))
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(2, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
