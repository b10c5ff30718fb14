using Redoubt.Core.Telemetry;

namespace Redoubt.Core.Tests.Telemetry;

/// <summary>The causes the reconciler writes into failover records, sorted into the histogram's kinds.</summary>
public sealed class FailoverCausesTests
{
    [Theory]
    // The fast path, on the platform's exit or deletion event (ResourceReconciler.OnNodeEventAsync).
    [InlineData("master redis-cache-0 exited (signal 9)", FailoverCauses.Exit)]
    [InlineData("master rfr-redis-cache-0 was deleted", FailoverCauses.Exit)]
    // Sentinel got there first, after an exit (FastFailover.FollowSentinelsAsync).
    [InlineData("Sentinel failed over: master redis-cache-0 exited", FailoverCauses.Exit)]
    // A pass found the master gone (Healer: RequestFailover).
    [InlineData("master redis-cache-0 is exited and 2 replica(s) can take over", FailoverCauses.Exit)]
    [InlineData("master redis-cache-0 is missing and 1 replica(s) can take over", FailoverCauses.Exit)]
    [InlineData("master redis-cache-0 is restarted as a parked replica and 1 replica(s) can take over", FailoverCauses.Exit)]
    // The hang watch, and Sentinel's own failover a pass found afterwards.
    [InlineData("master redis-cache-0 does not answer (hung or cut off) and 2 Sentinels judge it down (quorum 2)", FailoverCauses.Unreachable)]
    [InlineData("Sentinel failed over: the master did not answer (hung or cut off)", FailoverCauses.Unreachable)]
    [InlineData("Sentinel failed over (master unreachable)", FailoverCauses.Unreachable)]
    // Switchover.
    [InlineData("planned switchover", FailoverCauses.Switchover)]
    public void EachCauseTheReconcilerWritesHasItsKind(string cause, string kind)
    {
        Assert.Equal(kind, FailoverCauses.Of(cause));
    }
}
