using Redoubt.Core.Healing;

namespace Redoubt.Core.Tests.Healing;

/// <summary>Redoubt never overrides a Sentinel failover that happened after its pass looked.</summary>
public sealed class SentinelRecheckTests
{
    private const string Old = "127.0.0.1:7000";
    private const string New = "127.0.0.1:7001";

    public static TheoryData<string, string?[], bool, bool> Cases => new()
    {
        { "the Sentinels still name what the pass saw", [Old, Old, Old], false, true },
        { "a majority moved on to a node that is master now", [New, New, Old], true, false },
        { "a majority names a node that is not master: the pass was right", [New, New, Old], false, true },
        { "no majority", [New, null, Old], true, true },
        { "nobody answers", [null, null, null], false, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnOverrideRunsOnlyWhileTheSentinelsHaveNotMovedOn(string situation, string?[] named, bool namedIsMaster, bool runs)
    {
        Assert.True(runs == (SentinelRecheck.WhyNot(Old, named, 3, namedIsMaster) is null), situation);
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
