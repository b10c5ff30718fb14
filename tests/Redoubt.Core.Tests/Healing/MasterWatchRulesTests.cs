using Redoubt.Core.Healing;

namespace Redoubt.Core.Tests.Healing;

/// <summary>When a silent master is a hang, and when it must be fenced.</summary>
public sealed class MasterWatchRulesTests
{
    private const string Hung = "127.0.0.1:7000";
    private const string Other = "127.0.0.1:7001";

    [Theory]
    [InlineData(0, PingOutcome.Answered, 0, false)]
    [InlineData(0, PingOutcome.TimedOut, 1, false)]
    [InlineData(1, PingOutcome.TimedOut, 0, true)]
    [InlineData(1, PingOutcome.Answered, 0, false)]
    [InlineData(1, PingOutcome.Refused, 0, false)]
    public void TwoTimedOutPingsInARowAreAHang(int before, PingOutcome outcome, int after, bool hang)
    {
        Assert.Equal((after, hang), MasterWatchRules.AfterPing(before, outcome));
    }

    public static TheoryData<string, bool, SentinelView?[], string?, string?> FenceCases => new()
    {
        { "silent, the Sentinels not yet agreed", false, [new(Hung, "master,s_down"), new(Hung, "master"), null], null, null },
        { "silent, and the Sentinels agree it is down", false, [new(Hung, "master,s_down,o_down"), new(Hung, "master,s_down"), null], null, "the Sentinels agree it is down" },
        { "silent, and a replica was promoted", false, [new(Hung, "master,s_down"), null, null], Other, $"{Other} is master now" },
        { "it answers again: slow, not gone", true, [new(Hung, "master,s_down,o_down"), null, null], Other, null },
        { "o_down for another master is not about it", false, [new(Other, "master,s_down,o_down"), null, null], null, null },
        { "no Sentinel answers", false, [null, null, null], null, null },
    };

    [Theory]
    [MemberData(nameof(FenceCases))]
    public void ASilentMasterIsFencedOnceItIsDeposedWhateverHappensNext(string situation, bool answers, SentinelView?[] views, string? otherMaster, string? why)
    {
        Assert.True(why == MasterWatchRules.WhyFence(Hung, answers, views, otherMaster), $"{situation}: got \"{MasterWatchRules.WhyFence(Hung, answers, views, otherMaster)}\"");
    }

    [Theory]
    [InlineData("master", "none", false)]
    [InlineData("master,s_down,o_down,failover_in_progress", "wait_start", false)]
    [InlineData("master,s_down,o_down,failover_in_progress", "select_slave", true)]
    [InlineData("master,s_down,o_down,failover_in_progress", "wait_promotion", true)]
    [InlineData("master,failover_in_progress", "reconf_slaves", true)]
    public void OnlyASentinelPastItsElectionLeadsAFailover(string flags, string state, bool leads)
    {
        Assert.Equal(leads, new SentinelView(Hung, flags, state).LeadsFailover);
    }

    public static TheoryData<string, SentinelView?[], string?> ForceCases => new()
    {
        { "a quorum judges it down, no election started", [new(Hung, "master,s_down"), new(Hung, "master,s_down"), new(Hung, "master")], "2 Sentinels judge it down (quorum 2)" },
        { "every Sentinel judges it down", [new(Hung, "master,s_down"), new(Hung, "master,s_down"), new(Hung, "master,s_down")], "3 Sentinels judge it down (quorum 2)" },
        { "only one judges it down yet", [new(Hung, "master,s_down"), new(Hung, "master"), null], null },
        { "o_down already: their election has started", [new(Hung, "master,s_down,o_down"), new(Hung, "master,s_down"), null], null },
        { "a failover runs", [new(Hung, "master,s_down,failover_in_progress", "wait_start"), new(Hung, "master,s_down"), null], null },
        { "a Sentinel names another master", [new(Hung, "master,s_down"), new(Hung, "master,s_down"), new(Other, "master")], null },
        { "no Sentinel answers", [null, null, null], null },
    };

    [Theory]
    [MemberData(nameof(ForceCases))]
    public void ASilentMasterIsFailedOverByRedoubtOnlyBeforeTheSentinelsStartAnElection(string situation, SentinelView?[] views, string? why)
    {
        Assert.True(why == MasterWatchRules.WhyForce(Hung, views, quorum: 2), $"{situation}: got \"{MasterWatchRules.WhyForce(Hung, views, quorum: 2)}\"");
    }
}
