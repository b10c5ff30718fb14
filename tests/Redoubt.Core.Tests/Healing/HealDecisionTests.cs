using Redoubt.Core.Healing;

namespace Redoubt.Core.Tests.Healing;

/// <summary>One disruptive action per pass (DESIGN §3.8); every safe action runs with it, in the order decided.</summary>
public sealed class HealDecisionTests
{
    private static readonly HealAction Promote = new PromoteNode("redis-1", "127.0.0.1:7001", "most data");
    private static readonly HealAction Attach = new AttachReplica("redis-2", "127.0.0.1:7002", "127.0.0.1:7001", "parked");
    private static readonly HealAction Demote = new DemoteMaster("redis-0", "127.0.0.1:7000", "127.0.0.1:7001", "two masters");
    private static readonly HealAction Config = new SetConfig("redis-2", "127.0.0.1:7002", "maxmemory", "1048576", "drift");
    private static readonly HealAction Option = new SetSentinelOption("sentinel-0", "127.0.0.1:26000", "quorum", "2", "drift");
    private static readonly HealAction Reset = new ResetSentinel("sentinel-1", "127.0.0.1:26001", "stale");
    private static readonly HealAction Foreign = new RemoveForeignMaster("sentinel-2", "127.0.0.1:26002", "other", "foreign");
    private static readonly HealAction Failover = new RequestFailover("redis-0", "127.0.0.1:7000", "exited");
    private static readonly HealAction Watch = new MonitorMaster([new SentinelTarget("sentinel-0", "127.0.0.1:26000", Replace: false)], "127.0.0.1:7001", "new");
    private static readonly HealAction Rewatch = new MonitorMaster([new SentinelTarget("sentinel-0", "127.0.0.1:26000", Replace: true)], "127.0.0.1:7001", "wrong");

    private static IReadOnlyList<HealAction> ThisPass(params HealAction[] actions) => new HealDecision(null, actions, null).ActionsForThisPass();

    [Fact]
    public void OnlyTheFirstDisruptiveActionRunsAndEverySafeOneKeepsItsPlace()
    {
        Assert.Equal([Config, Demote, Attach, Option, Foreign], ThisPass(Config, Demote, Attach, Reset, Option, Promote, Foreign, Failover));
    }

    [Fact]
    public void WithoutDisruptiveActionsEveryActionRunsInOrder()
    {
        Assert.Equal([Watch, Attach, Option, Foreign, Config], ThisPass(Watch, Attach, Option, Foreign, Config));
    }

    [Fact]
    public void ADisruptiveActionLateInTheListStillRunsWhenItIsTheOnlyOne()
    {
        Assert.Equal([Attach, Config, Reset], ThisPass(Attach, Config, Reset));
    }

    [Fact]
    public void MonitoringThatReplacesAnotherMasterCountsAsTheOneDisruptiveAction()
    {
        Assert.Equal([Rewatch, Watch, Attach], ThisPass(Rewatch, Watch, Failover, Attach, Promote));
    }

    [Fact]
    public void NothingDecidedMeansNothingToRun()
    {
        Assert.Empty(ThisPass());
    }

    [Fact]
    public void ChoosingForThePassLeavesTheDecisionWhole()
    {
        var decision = new HealDecision(null, [Promote, Demote], "x");

        Assert.Equal([Promote], decision.ActionsForThisPass());
        Assert.Equal([Promote, Demote], decision.Actions);
    }
}
