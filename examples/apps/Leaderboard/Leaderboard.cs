// A game leaderboard on a sorted set: ZINCRBY adds a player's points, ZREVRANGE gives the top N, ZREVRANK a player's
// rank. Every update is one atomic command, so players updating at once never lose each other's points.
//
//   ./redoubt up -f examples/redis.yaml
//   ./redoubt credentials example -o json | dotnet run --project examples/apps -- leaderboard
using System.Globalization;
using Redoubt.Examples.Shared;
using StackExchange.Redis;

namespace Redoubt.Examples.Leaderboard;

public sealed class Leaderboard(IDatabase redis, string board)
{
    private readonly CounterLedger _scores = new();
    private long _operations;
    private long _failedAttempts;

    /// <summary>Adds points; a failed attempt may still have landed, and the ledger says so.</summary>
    public async Task<double> AddPointsAsync(string player, int points, CancellationToken cancellationToken)
    {
        var score = await Transient.RetryAsync(
            () => redis.SortedSetIncrementAsync(board, player, points),
            () =>
            {
                Interlocked.Increment(ref _failedAttempts);
                _scores.Uncertain(player, points);
            },
            cancellationToken);
        _scores.Acknowledged(player, points);
        return score;
    }

    public Task<SortedSetEntry[]> TopAsync(int count, CancellationToken cancellationToken) =>
        Transient.RetryAsync(() => redis.SortedSetRangeByRankWithScoresAsync(board, 0, count - 1, Order.Descending), null, cancellationToken);

    /// <summary>The player's rank from 1 (the leader), or null when the player has no points.</summary>
    public async Task<long?> RankAsync(string player, CancellationToken cancellationToken)
    {
        var rank = await Transient.RetryAsync(() => redis.SortedSetRankAsync(board, player, Order.Descending), null, cancellationToken);
        return rank + 1;
    }

    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>Each player's score lies within these bounds: what was acknowledged, plus what failed and may have landed.</summary>
    public IReadOnlyDictionary<string, (long AtLeast, long AtMost)> ExpectedScores => _scores.Bounds;

    /// <summary>Fifty players scoring until <paramref name="stop"/>, the top ten and a rank read now and then.</summary>
    public async Task<AppRun> RunAsync(CancellationToken stop)
    {
        string? leader = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var player = $"player-{Random.Shared.Next(50).ToString(CultureInfo.InvariantCulture)}";
                await AddPointsAsync(player, Random.Shared.Next(1, 11), stop);
                if (Interlocked.Increment(ref _operations) % 20 == 0)
                {
                    var top = await TopAsync(10, stop);
                    leader = top.Length > 0 ? $"{top[0].Element} with {top[0].Score}" : null;
                    await RankAsync(player, stop);
                }

                if (!await Pace.ThinkAsync(stop))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped in the middle of an update: it counts as failed, with its points as uncertain.
        }

        return new AppRun("leaderboard", Interlocked.Read(ref _operations), Interlocked.Read(ref _failedAttempts),
            $"{ExpectedScores.Count} players, leader {leader ?? "none"}");
    }
}
