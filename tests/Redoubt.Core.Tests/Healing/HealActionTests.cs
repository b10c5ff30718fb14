using Redoubt.Core.Healing;

namespace Redoubt.Core.Tests.Healing;

/// <summary>Which actions count as disruptive, and how each describes itself in events and logs.</summary>
public sealed class HealActionTests
{
    public static TheoryData<string, bool, string> Actions => new()
    {
        { nameof(PromoteNode), true, "promote redis-1 (127.0.0.1:7001) to master" },
        { nameof(AttachReplica), false, "make redis-2 (127.0.0.1:7002) a replica of 127.0.0.1:7001" },
        { nameof(DemoteMaster), true, "demote redis-0 (127.0.0.1:7000) to a replica of 127.0.0.1:7001" },
        { nameof(SetSentinelOption), false, "set quorum 2 on sentinel-0" },
        { nameof(RemoveForeignMaster), false, "stop sentinel-2 monitoring foreign master other" },
        { nameof(ResetSentinel), true, "reset sentinel-1" },
        { nameof(SetConfig), false, "set maxmemory on redis-2" },
        { nameof(RequestFailover), true, "ask Sentinel to fail over from redis-0 (127.0.0.1:7000)" },
        { nameof(SwitchMaster), true, "switch the master away from redis-2" },
    };

    [Theory]
    [MemberData(nameof(Actions))]
    public void EachActionKnowsWhetherItIsDisruptiveAndDescribesItself(string type, bool disruptive, string description)
    {
        HealAction action = type switch
        {
            nameof(PromoteNode) => new PromoteNode("redis-1", "127.0.0.1:7001", "r"),
            nameof(AttachReplica) => new AttachReplica("redis-2", "127.0.0.1:7002", "127.0.0.1:7001", "r"),
            nameof(DemoteMaster) => new DemoteMaster("redis-0", "127.0.0.1:7000", "127.0.0.1:7001", "r"),
            nameof(SetSentinelOption) => new SetSentinelOption("sentinel-0", "127.0.0.1:26000", "quorum", "2", "r"),
            nameof(RemoveForeignMaster) => new RemoveForeignMaster("sentinel-2", "127.0.0.1:26002", "other", "r"),
            nameof(ResetSentinel) => new ResetSentinel("sentinel-1", "127.0.0.1:26001", "r"),
            nameof(SetConfig) => new SetConfig("redis-2", "127.0.0.1:7002", "maxmemory", "1048576", "r"),
            nameof(RequestFailover) => new RequestFailover("redis-0", "127.0.0.1:7000", "r"),
            nameof(SwitchMaster) => new SwitchMaster("redis-2", "r"),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a heal action"),
        };

        Assert.Equal(type, action.GetType().Name);
        Assert.Equal(disruptive, action.Disruptive);
        Assert.Equal(description, action.Describe());
        Assert.Equal("r", action.Reason);
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, true, true)]
    public void MonitoringIsDisruptiveOnlyWhenItReplacesWhatASentinelMonitors(bool firstReplaces, bool secondReplaces, bool disruptive)
    {
        var action = new MonitorMaster(
            [new SentinelTarget("sentinel-0", "127.0.0.1:26000", firstReplaces), new SentinelTarget("sentinel-1", "127.0.0.1:26001", secondReplaces)],
            "127.0.0.1:7000",
            "r");

        Assert.Equal(disruptive, action.Disruptive);
        Assert.Equal("point sentinel-0, sentinel-1 at 127.0.0.1:7000", action.Describe());
    }
}
