using Redoubt.Core.Observation;
using Redoubt.Core.Reconcile;
using Redoubt.Core.Tests.Fixtures;
using Redoubt.Model;
using static Redoubt.Core.Tests.Fixtures.ObservedClusters;

namespace Redoubt.Core.Tests.Reconcile;

/// <summary>What the reconciler remembers about masters between passes, one change at a time.</summary>
public sealed class MasterHistoryTests
{
    private static readonly RedisNodeObservation Master0 = ObservedNodes.Master(0);
    private static readonly RedisNodeObservation Master1 = ObservedNodes.Master(1);

    private static ClusterObservation Cluster(params RedisNodeObservation[] nodes) => Of(nodes, []);

    [Fact]
    public void AFirstMasterIsNoFailover()
    {
        var (next, failover) = new MasterHistory().Observe(Master0, Cluster(Master0), T0);

        Assert.Null(failover);
        Assert.Equal(Master0, next.Master);
        Assert.Null(next.DeposedAddress);
    }

    [Fact]
    public void NoMasterStartsTheClockOnceAndKeepsIt()
    {
        var history = new MasterHistory().Observe(null, Cluster(), T0).Next.Observe(null, Cluster(), T0.AddSeconds(3)).Next;

        Assert.Equal(T0, history.NoMasterSince);
    }

    [Fact]
    public void AMasterChangeNobodyRecordedIsRecordedFromTheFirstSilence()
    {
        var history = new MasterHistory().Observe(Master0, Cluster(Master0), T0).Next
            .Silent(Master0.Address!, T0.AddMilliseconds(100))
            .Observe(null, Cluster(), T0.AddMilliseconds(900)).Next;

        var (next, failover) = history.Observe(Master1, Cluster(Master1), T0.AddMilliseconds(2100));

        Assert.NotNull(failover);
        Assert.Equal((T0.AddMilliseconds(100), 2000.0, "redis-0", "redis-1"), (failover.Time, failover.DurationMs, failover.From, failover.To));
        Assert.Equal(failover, next.LastFailover);
        Assert.Equal(Master0.Address, next.DeposedAddress);
        Assert.Equal(Master0.Pid, next.DeposedPid);
        Assert.Null(next.SilentSince);
        Assert.Null(next.NoMasterSince);
    }

    [Fact]
    public void AMasterChangeAlreadyRecordedIsNotRecordedTwice()
    {
        var recorded = MasterHistory.Failover(T0.AddMilliseconds(10), TimeSpan.FromMilliseconds(200), "redis-0", "redis-1", "master redis-0 exited");
        var history = new MasterHistory().Observe(Master0, Cluster(Master0), T0).Next.WithFailover(recorded);

        var (next, failover) = history.Observe(Master1, Cluster(Master1), T0.AddSeconds(1));

        Assert.Null(failover);
        Assert.Same(recorded, next.LastFailover);
        Assert.Equal(Master0.Address, next.DeposedAddress);
    }

    [Fact]
    public void AnOldRecordOfTheSameNodeDoesNotHideANewFailover()
    {
        var old = MasterHistory.Failover(T0.AddMinutes(-10), TimeSpan.FromMilliseconds(200), "redis-0", "redis-1", "long ago");
        var history = new MasterHistory().Observe(Master0, Cluster(Master0), T0).Next.WithFailover(old);

        Assert.NotNull(history.Observe(Master1, Cluster(Master1), T0.AddSeconds(1)).Unrecorded);
    }

    [Fact]
    public void TheDeposedMasterIsForgottenOnceItIsAReplica()
    {
        var history = new MasterHistory().Observe(Master0, Cluster(Master0), T0).Next.Observe(Master1, Cluster(Master1), T0.AddSeconds(1)).Next;
        var stillMaster = history.Observe(Master1, Cluster(Master1, Master0 with { Reachable = false }), T0.AddSeconds(2)).Next;
        var replica = history.Observe(Master1, Cluster(Master1, ObservedNodes.Replica(0, of: 1)), T0.AddSeconds(2)).Next;

        Assert.Equal(Master0.Address, stillMaster.DeposedAddress);
        Assert.Null(replica.DeposedAddress);
        Assert.Null(history.Fenced().DeposedAddress);
    }

    [Fact]
    public void SilenceCountsOnlyForTheMasterAndFromItsFirstUnansweredPing()
    {
        var history = new MasterHistory().Observe(Master0, Cluster(Master0), T0).Next;

        Assert.Null(history.Silent(Master1.Address!, T0).SilentSince);
        Assert.Equal(T0, history.Silent(Master0.Address!, T0).Silent(Master0.Address!, T0.AddSeconds(1)).SilentSince);
        Assert.Null(history.Silent(Master0.Address!, T0).Answered().SilentSince);
        Assert.Equal(T0.AddSeconds(5), history.FailoverStart(T0.AddSeconds(5)));
        Assert.Equal(T0, history.Silent(Master0.Address!, T0).FailoverStart(T0.AddSeconds(5)));
    }

    [Fact]
    public void AFailoverRecordedAwayFromTheMasterStopsWatchingItUntilAPassSeesTheNewOne()
    {
        var watched = new MasterHistory().Observe(Master0, Cluster(Master0), T0).Next;
        var record = MasterHistory.Failover(T0.AddSeconds(1), TimeSpan.FromMilliseconds(250), Master0.Name, Master1.Name, "master redis-0 exited");

        var recorded = watched.WithFailover(record);
        var (seen, unrecorded) = recorded.Observe(Master1, Cluster(Master1), T0.AddSeconds(2));

        Assert.True(recorded.IsReplaced(Master0));
        Assert.Equal(record, recorded.LastFailover);
        Assert.Null(unrecorded);
        Assert.False(seen.IsReplaced(Master0));
        Assert.Equal(Master0.Address, seen.DeposedAddress);
        Assert.False(watched.WithFailover(MasterHistory.Failover(T0.AddSeconds(1), TimeSpan.FromMilliseconds(250), "redis-2", Master1.Name, "another")).IsReplaced(Master0));
    }

    [Fact]
    public void AHangIsOverOnlyForTheProcessThatHung()
    {
        var history = new MasterHistory().MasterReplaced(Master0);

        Assert.True(history.IsReplaced(Master0));
        Assert.False(history.IsReplaced(Master0 with { Pid = 4242 }));
        Assert.False(history.Observe(Master0, Cluster(Master0), T0).Next.Observe(Master1, Cluster(Master1), T0.AddSeconds(1)).Next.IsReplaced(Master0));
    }

    [Theory]
    [InlineData("Ready", true)]
    [InlineData("Degraded", true)]
    [InlineData("FailingOver", true)]
    [InlineData("Pending", false)]
    [InlineData("Provisioning", false)]
    public void ARestoredStatusKeepsItsLastFailoverAndWhetherItWasEverReady(string phase, bool everReady)
    {
        var failover = MasterHistory.Failover(T0, TimeSpan.FromMilliseconds(210), "redis-0", "redis-1", "exit");

        var restored = MasterHistory.Restore(new RedisStatus { Phase = phase, LastFailover = failover });

        Assert.Equal(everReady, restored.EverReady);
        Assert.Same(failover, restored.LastFailover);
        Assert.Null(restored.Master);
    }
}
