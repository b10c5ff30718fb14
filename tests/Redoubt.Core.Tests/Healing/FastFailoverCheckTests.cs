using Redoubt.Core.Healing;

namespace Redoubt.Core.Tests.Healing;

/// <summary>SENTINEL FAILOVER fails over whatever master the Sentinel names: the fast path only asks when that is the node that exited.</summary>
public sealed class FastFailoverCheckTests
{
    private const string Exited = "127.0.0.1:7000";
    private const string Other = "127.0.0.1:7001";

    public static TheoryData<string, SentinelView?[], string?> Cases => new()
    {
        { "every Sentinel names the exited master", [new(Exited, "master"), new(Exited, "master"), new(Exited, "master")], null },
        { "one Sentinel is down, the others name it", [null, new(Exited, "master"), new(Exited, "master")], null },
        { "it hung first: judged down already", [new(Exited, "master,s_down,o_down"), new(Exited, "master,s_down"), new(Exited, "master")], "the Sentinels are already failing over; leaving it to them" },
        { "a failover runs", [new(Exited, "master,failover_in_progress"), new(Exited, "master"), new(Exited, "master")], "the Sentinels are already failing over; leaving it to them" },
        { "the Sentinels moved on before the exit was seen", [new(Other, "master"), new(Other, "master"), new(Other, "master")], $"the Sentinels already name {Other} as master; nothing to fail over" },
        { "one Sentinel moved on", [new(Exited, "master"), new(Other, "master"), new(Exited, "master")], $"the Sentinels already name {Other} as master; nothing to fail over" },
        { "no Sentinel answers", [null, null, null], "no Sentinel answers; Sentinel fails over after down-after-milliseconds once one does" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheFastPathAsksOnlyWhenTheSentinelsStillNameTheExitedNode(string situation, SentinelView?[] views, string? whyNot)
    {
        Assert.True(whyNot == FastFailoverCheck.WhyNot(Exited, views), $"{situation}: got \"{FastFailoverCheck.WhyNot(Exited, views)}\"");
    }

    public static TheoryData<string, SentinelView?[], bool> StallCases => new()
    {
        { "the election nobody won timed out: judged down, none failing over", [new(Exited, "master,s_down,o_down"), new(Exited, "master,s_down,o_down"), new(Exited, "master,s_down,o_down")], true },
        { "the leader died after its election; the voters wait", [null, new(Exited, "master,s_down,o_down"), new(Exited, "master,s_down")], true },
        { "an election runs", [new(Exited, "master,s_down,o_down,failover_in_progress", "wait_start"), new(Exited, "master,s_down,o_down"), new(Exited, "master,s_down")], false },
        { "a leader promotes", [new(Exited, "master,s_down,o_down,failover_in_progress", "wait_promotion"), new(Exited, "master,s_down,o_down"), new(Exited, "master,s_down")], false },
        { "one Sentinel names the promoted replica already", [new(Other, "master"), new(Exited, "master,s_down,o_down"), new(Exited, "master,s_down,o_down")], false },
        { "no Sentinel answers", [null, null, null], false },
    };

    [Theory]
    [MemberData(nameof(StallCases))]
    public void TheSentinelsFailoverStalledOnlyWhenNoneRunsOneAndNoneMovedOn(string situation, SentinelView?[] views, bool stalled)
    {
        Assert.True(stalled == FastFailoverCheck.Stalled(Exited, views), $"{situation}: expected stalled={stalled}");
    }
}

/// <summary>A switchover resumes writes on the old master only once Sentinel can no longer promote the chosen replica.</summary>
public sealed class SwitchoverCheckTests
{
    private const string Old = "127.0.0.1:7000";

    public static TheoryData<string, SentinelView?, string?, bool> Cases => new()
    {
        { "the failover ended and the replica is still a replica", new(Old, "master"), "slave", false },
        { "the leader still fails over", new(Old, "master,failover_in_progress", "wait_promotion"), "slave", true },
        { "the leader does not answer", null, "slave", true },
        { "the failover ended but the replica does not answer", new(Old, "master"), null, true },
        { "the replica answers as master", new(Old, "master"), "master", true },
        { "nothing answers", null, null, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void WritesResumeOnTheOldMasterOnlyWhenNoPromotionCanCome(string situation, SentinelView? leader, string? chosenRole, bool possible)
    {
        var why = SwitchoverCheck.PromotionStillPossible(leader, chosenRole);
        Assert.True(possible == why is not null, $"{situation}: got \"{why}\"");
    }
}
