using k8s;
using k8s.Models;
using Redoubt.Core.Platform;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Operator;

namespace Redoubt.Kubernetes.Tests.Operator;

public sealed class PodChangesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static V1Pod Pod(string container = "redis", V1ContainerState? state = null, int restarts = 0, bool deleting = false, string component = "redis") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "rfr-redis-example-0",
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { [Labels.Component] = component, [Labels.Resource] = "example" },
            DeletionTimestamp = deleting ? Now.UtcDateTime : null,
        },
        Status = new V1PodStatus
        {
            PodIP = "10.0.0.5",
            ContainerStatuses = [new V1ContainerStatus { Name = container, RestartCount = restarts, State = state ?? Running }],
        },
    };

    private static V1ContainerState Running => new() { Running = new V1ContainerStateRunning { StartedAt = Now.UtcDateTime } };
    private static V1ContainerState Terminated => new() { Terminated = new V1ContainerStateTerminated { ExitCode = 137, Reason = "OOMKilled" } };

    [Fact]
    public void TerminatedRedisContainerIsAnExit()
    {
        var e = PodChanges.NodeEventFor(WatchEventType.Modified, Pod(), Pod(state: Terminated), Now);
        Assert.NotNull(e);
        Assert.Equal(NodeEventKind.Exited, e.Event);
        Assert.Equal(NodeKind.Redis, e.Kind);
        Assert.Equal("default/example", e.ResourceKey);
        Assert.Equal("rfr-redis-example-0", e.NodeName);
        Assert.Contains("OOMKilled", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void RestartSeenOnlyAfterTheFactIsStillAnExit()
    {
        var e = PodChanges.NodeEventFor(WatchEventType.Modified, Pod(), Pod(restarts: 1), Now);
        Assert.Equal(NodeEventKind.Exited, e?.Event);
    }

    [Fact]
    public void DeletionIsReportedWhenItBeginsAndNotAgainWhenThePodIsGone()
    {
        // Begun, with a grace period: the container still runs (and a master still takes writes) until it ends.
        Assert.Equal(NodeEventKind.Stopping, PodChanges.NodeEventFor(WatchEventType.Modified, Pod(), Pod(deleting: true), Now)?.Event);
        Assert.Null(PodChanges.NodeEventFor(WatchEventType.Deleted, Pod(deleting: true), Pod(deleting: true), Now));
        Assert.Equal(NodeEventKind.Deleted, PodChanges.NodeEventFor(WatchEventType.Deleted, Pod(), Pod(), Now)?.Event);
    }

    [Fact]
    public void NothingHappenedIsNoEvent()
    {
        Assert.Null(PodChanges.NodeEventFor(WatchEventType.Modified, Pod(), Pod(), Now));
        Assert.Null(PodChanges.NodeEventFor(WatchEventType.Added, null, Pod(), Now));
    }

    [Fact]
    public void SentinelPodsReportAsSentinels()
    {
        var e = PodChanges.NodeEventFor(WatchEventType.Modified, Pod("sentinel", component: "sentinel"), Pod("sentinel", Terminated, component: "sentinel"), Now);
        Assert.Equal(NodeKind.Sentinel, e?.Kind);
    }

    [Fact]
    public void RoleLabelChangeAloneIsNotWorthAPass()
    {
        var before = Pod();
        var after = Pod();
        after.Metadata.Labels[Labels.Role] = Labels.RoleMaster;
        Assert.False(PodChanges.Matters(before, after));
        Assert.True(PodChanges.Matters(before, Pod(state: Terminated)));
    }
}
