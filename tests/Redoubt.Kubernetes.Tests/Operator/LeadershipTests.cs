using Redoubt.Core.ControlPlane;
using Redoubt.Platforms.Kubernetes.Operator;

namespace Redoubt.Kubernetes.Tests.Operator;

/// <summary>What a replica that cannot act says instead: who leads, and where to ask.</summary>
public sealed class LeadershipTests
{
    [Theory]
    [InlineData(null, "(redoubt-b) is not the leader, and only the leader can switch over; no replica holds the Lease redoubt-system/redoubt-operator yet")]
    [InlineData("", "no replica holds the Lease redoubt-system/redoubt-operator yet: try again in a moment")]
    [InlineData("redoubt-a", "(redoubt-b) is not the leader, and only the leader can switch over: the Lease redoubt-system/redoubt-operator is held by redoubt-a; "
        + "open the dashboard through that pod (kubectl port-forward -n redoubt-system pod/redoubt-a 9480")]
    [InlineData("redoubt-b", "(redoubt-b) leads but its controller is starting or stopping")]
    public void AReplicaWithoutARunningTermRefusesSayingWhoLeads(string? seen, string expected)
    {
        var leadership = new Leadership(RunningOperator.Options("redoubt-b", leaderElection: true));
        if (seen is not null)
        {
            leadership.Observe(seen);
        }

        var refusal = Assert.Throws<NotLeaderException>(() => leadership.LoopOrRefuse("switch over"));

        Assert.Null(leadership.Loop);
        Assert.Contains(expected, refusal.Message, StringComparison.Ordinal);
    }
}
