using System.Globalization;
using StackExchange.Redis;

namespace Redoubt.Integration.Tests.Connecting.Clients;

/// <summary>
/// What one client was told about its writes of <c>&lt;prefix&gt;:&lt;n&gt; = n</c>: each acknowledged n with the time of
/// its acknowledgement, and each failure. Times are Unix milliseconds, the one clock the external writers, the
/// in-process writer and the fault times all read.
/// </summary>
internal sealed class ClientWrites(string prefix)
{
    private readonly Lock _lock = new();
    private readonly List<(long N, long AtMs)> _acknowledged = new(1 << 14);
    private readonly List<(long AtMs, string Message)> _failures = [];

    public string Prefix => prefix;

    public string Key(long n) => $"{prefix}:{n.ToString(CultureInfo.InvariantCulture)}";

    public void Acknowledged(long n, long atMs)
    {
        lock (_lock)
        {
            _acknowledged.Add((n, atMs));
        }
    }

    public void Failed(long atMs, string message)
    {
        lock (_lock)
        {
            _failures.Add((atMs, message));
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _acknowledged.Count;
            }
        }
    }

    /// <summary>When the latest write was acknowledged; null before the first.</summary>
    public long? LastAcknowledgedMs
    {
        get
        {
            lock (_lock)
            {
                return _acknowledged.Count == 0 ? null : _acknowledged[^1].AtMs;
            }
        }
    }

    public string? LastError
    {
        get
        {
            lock (_lock)
            {
                return _failures.Count == 0 ? null : _failures[^1].Message;
            }
        }
    }

    /// <summary>Failed attempts reported from <paramref name="fromMs"/> (inclusive) to <paramref name="toMs"/> (exclusive).</summary>
    public int FailuresBetween(long fromMs, long toMs)
    {
        lock (_lock)
        {
            return _failures.Count(f => f.AtMs >= fromMs && f.AtMs < toMs);
        }
    }

    /// <summary>The last failure reported from <paramref name="fromMs"/> (inclusive) to <paramref name="toMs"/> (exclusive); null without one.</summary>
    public string? LastErrorBetween(long fromMs, long toMs)
    {
        lock (_lock)
        {
            return _failures.LastOrDefault(f => f.AtMs >= fromMs && f.AtMs < toMs).Message;
        }
    }

    /// <summary>Acknowledgements from <paramref name="fromMs"/> (inclusive) to <paramref name="toMs"/> (exclusive), in order.</summary>
    public IReadOnlyList<(long N, long AtMs)> Between(long fromMs, long toMs)
    {
        lock (_lock)
        {
            return [.. _acknowledged.Where(a => a.AtMs >= fromMs && a.AtMs < toMs)];
        }
    }

    /// <summary>
    /// The longest interval between two consecutive acknowledgements inside [<paramref name="fromMs"/>, <paramref name="toMs"/>],
    /// with the two acknowledgements that bound it; (0, from, from) with fewer than two.
    /// </summary>
    public (long Ms, long FromMs, long ToMs) LongestGap(long fromMs, long toMs)
    {
        lock (_lock)
        {
            var longest = (Ms: 0L, FromMs: fromMs, ToMs: fromMs);
            long? previous = null;
            foreach (var (_, at) in _acknowledged)
            {
                if (at < fromMs || at > toMs)
                {
                    continue;
                }

                if (previous is { } p && at - p > longest.Ms)
                {
                    longest = (at - p, p, at);
                }

                previous = at;
            }

            return longest;
        }
    }

    /// <summary>The acknowledged n whose key is missing on <paramref name="master"/> or holds another value.</summary>
    public async Task<HashSet<long>> LostOnAsync(IDatabase master, CancellationToken cancellationToken)
    {
        List<long> acknowledged;
        lock (_lock)
        {
            acknowledged = [.. _acknowledged.Select(a => a.N)];
        }

        var lost = new HashSet<long>();
        foreach (var batch in acknowledged.Chunk(1000))
        {
            var values = await master.StringGetAsync([.. batch.Select(n => (RedisKey)Key(n))]).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            lost.UnionWith(batch.Where((n, i) => values[i].ToString() != n.ToString(CultureInfo.InvariantCulture)));
        }

        return lost;
    }
}
