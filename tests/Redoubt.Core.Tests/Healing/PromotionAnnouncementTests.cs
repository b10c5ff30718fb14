using Redoubt.Core.Healing;

namespace Redoubt.Core.Tests.Healing;

/// <summary>
/// Every Sentinel is told of a promotion in the leader's own words: the failover's epoch, the replica the leader
/// selected, said by a peer the Sentinel knows. When any of that is unknown, nobody is told.
/// </summary>
public sealed class PromotionAnnouncementTests
{
    private const string Promoted = "127.0.0.2:6379";
    private static readonly SentinelPeer A = new("127.0.0.1", 26379, "aaaa");
    private static readonly SentinelPeer B = new("127.0.0.2", 26379, "bbbb");
    private static readonly SentinelPeer C = new("127.0.0.3", 26379, "cccc");

    private static SentinelIdentity Knows(SentinelPeer self, params SentinelPeer[] peers) => new($"{self.Ip}:{self.Port}", self.RunId, peers);

    private static readonly SentinelIdentity LeaderA = Knows(A, B, C);
    private static readonly IReadOnlyList<SentinelIdentity> All = [LeaderA, Knows(B, A, C), Knows(C, B, A)];

    [Fact]
    public void EachSentinelHearsTheLeaderAndTheLeaderHearsAPeerAllInTheFailoversEpoch()
    {
        var (hellos, whyNot) = PromotionAnnouncement.Plan("mymaster", LeaderA, new SentinelVote("aaaa", 7), ("127.0.0.2", 6379), Promoted, All);

        Assert.Null(whyNot);
        Assert.Equal(["127.0.0.2,26379,bbbb,7,mymaster,127.0.0.2,6379,7", "127.0.0.1,26379,aaaa,7,mymaster,127.0.0.2,6379,7", "127.0.0.1,26379,aaaa,7,mymaster,127.0.0.2,6379,7"],
            hellos.Select(h => h?.ToString()));
    }

    [Fact]
    public void ASentinelIsNeverToldInItsOwnName()
    {
        // A hello in a Sentinel's own name would make it its own peer; it knows only itself here.
        Assert.Null(PromotionAnnouncement.SenderFor(Knows(A, A), "aaaa"));
        Assert.Equal(B, PromotionAnnouncement.SenderFor(Knows(A, A, B), "aaaa"));
    }

    [Fact]
    public void ASentinelThatDoesNotKnowTheLeaderHearsAnotherPeerItKnows()
    {
        Assert.Equal(C, PromotionAnnouncement.SenderFor(Knows(B, C), "aaaa"));
    }

    [Fact]
    public void ASentinelThatDidNotAnswerOrKnowsNoPeerIsNotTold()
    {
        var (hellos, whyNot) = PromotionAnnouncement.Plan("mymaster", LeaderA, new SentinelVote("aaaa", 7), ("127.0.0.2", 6379), Promoted,
            [LeaderA, new SentinelIdentity("127.0.0.2:26379", null, null), Knows(C)]);

        Assert.Null(whyNot);
        Assert.NotNull(hellos[0]);
        Assert.Null(hellos[1]);
        Assert.Null(hellos[2]);
    }

    public static TheoryData<string, SentinelVote?, (string, int)?, string> Unknowns => new()
    {
        { "no vote: the epoch is unknown", null, ("127.0.0.2", 6379), "holds no vote" },
        { "a vote for another Sentinel is not this failover's", new SentinelVote("bbbb", 7), ("127.0.0.2", 6379), "holds no vote" },
        { "epoch 0 is no failover's", new SentinelVote("aaaa", 0), ("127.0.0.2", 6379), "holds no vote" },
        { "no replica selected", new SentinelVote("aaaa", 7), null, "names no replica" },
        { "another replica selected than the one that answers as master", new SentinelVote("aaaa", 7), ("127.0.0.3", 6379), "but 127.0.0.2:6379 answers as master" },
    };

    [Theory]
    [MemberData(nameof(Unknowns))]
    public void NobodyIsToldWhatTheLeaderDoesNotConfirm(string why, SentinelVote? vote, (string, int)? selected, string reason)
    {
        var (hellos, whyNot) = PromotionAnnouncement.Plan("mymaster", LeaderA, vote, selected, Promoted, All);

        Assert.True(hellos.All(h => h is null), why);
        Assert.Contains(reason, whyNot, StringComparison.Ordinal);
    }

    [Fact]
    public void ALeaderThatDoesNotSayItsIdTellsNobody()
    {
        var (hellos, whyNot) = PromotionAnnouncement.Plan("mymaster", new SentinelIdentity("127.0.0.1:26379", null, null), new SentinelVote("aaaa", 7), ("127.0.0.2", 6379), Promoted, All);

        Assert.True(hellos.All(h => h is null));
        Assert.Contains("did not say its id", whyNot, StringComparison.Ordinal);
    }
}
