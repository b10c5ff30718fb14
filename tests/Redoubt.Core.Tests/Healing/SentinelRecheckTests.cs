using Redoubt.Core.Healing;

namespace Redoubt.Core.Tests.Healing;

/// <summary>Redoubt never overrides a Sentinel failover that happened after its pass looked.</summary>
public sealed class SentinelRecheckTests
{
    private const string Old = "127.0.0.1:7000";
    private const string New = "127.0.0.1:7001";

    public static TheoryData<string, string?[], string?, bool, bool> Cases => new()
    {
        { "the Sentinels still name what the pass saw", [Old, Old, Old], null, false, true },
        { "a majority moved on to a node that is master now", [New, New, Old], "master", true, false },
        { "a majority names a node that is not master: the pass was right", [New, New, Old], "slave", true, true },
        { "a majority names a running node too busy to answer: it may be their new master", [New, New, Old], null, true, false },
        { "a majority names a node that is gone", [New, New, Old], null, false, true },
        { "no majority for another node, every Sentinel answered", [New, "127.0.0.1:7002", Old], null, false, true },
        { "a Sentinel that did not answer could make a majority for another node", [New, null, Old], "master", true, false },
        { "nobody answers: nothing is ruled out", [null, null, null], null, false, false },
        { "a Sentinel missing from the look counts as unanswered", [New, Old], "master", true, false },
        { "one unanswered Sentinel cannot outvote two that name the kept master", [Old, Old, null], null, false, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnOverrideRunsOnlyWhenTheLookRulesOutThatTheSentinelsMovedOn(string situation, string?[] named, string? namedRole, bool namedRuns, bool runs)
    {
        Assert.True(runs == (SentinelRecheck.WhyNot(Old, named, 3, namedRole, namedRuns) is null), situation);
    }

    [Fact]
    public void OnlyActionsThatOverrideTheSentinelsAreChecked()
    {
        Assert.Equal(Old, SentinelRecheck.Intended(new MonitorMaster([new SentinelTarget("sentinel-0", "127.0.0.1:26000", Replace: true)], Old, "why")));
        Assert.Null(SentinelRecheck.Intended(new MonitorMaster([new SentinelTarget("sentinel-0", "127.0.0.1:26000", Replace: false)], Old, "why")));
        Assert.Equal(Old, SentinelRecheck.Intended(new DemoteMaster("redis-1", New, Old, "why")));
        Assert.Null(SentinelRecheck.Intended(new AttachReplica("redis-1", New, Old, "why")));
    }
}
