using Redoubt.Core.Reconcile;

namespace Redoubt.Core.Tests.Reconcile;

/// <summary>The access watch reads the nodes other than the master in turn: every one within a bounded number of rounds.</summary>
public sealed class AccessWatchTurnTests
{
    [Theory]
    [InlineData(5, 2, 3)]   // 2 replicas and 3 Sentinels: each read at least once in any 3 rounds in a row
    [InlineData(7, 2, 4)]
    [InlineData(2, 2, 1)]   // no more than fit in one round: all of them every round
    [InlineData(1, 2, 1)]
    public void EveryNodeIsReadWithinItsRounds(int nodes, int perRound, int rounds)
    {
        var items = Enumerable.Range(0, nodes).ToList();
        for (var start = 0; start < 50; start++)
        {
            var read = Enumerable.Range(start, rounds).SelectMany(turn => AccessWatch.Turn(items, turn, perRound)).ToHashSet();
            Assert.Equal(items, read.Order());
        }
    }

    [Fact]
    public void ARoundReadsAtMostItsShareAndNeverOneNodeTwice()
    {
        var items = Enumerable.Range(0, 5).ToList();
        for (var turn = 0; turn < 20; turn++)
        {
            var round = AccessWatch.Turn(items, turn, AccessWatch.OthersPerRound).ToList();
            Assert.Equal(AccessWatch.OthersPerRound, round.Count);
            Assert.Equal(round.Count, round.Distinct().Count());
        }
    }

    [Fact]
    public void NothingToReadReadsNothing() =>
        Assert.Empty(AccessWatch.Turn(new List<int>(), 3, AccessWatch.OthersPerRound));
}
