using System.Threading.Channels;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;

namespace Redoubt.Core.Tests.Control.Fakes;

/// <summary>
/// A platform that only reports node events: the loop reads them and hands the platform to the reconcilers it
/// creates, and the scripted reconcilers of these tests never ask it for nodes.
/// </summary>
internal sealed class EventOnlyPlatform : IRedisPlatform
{
    private readonly Channel<NodeEvent> _events = Channel.CreateUnbounded<NodeEvent>();

    public ChannelReader<NodeEvent> NodeEvents => _events.Reader;

    public void Report(string key, string node, NodeEventKind kind = NodeEventKind.Exited) =>
        _events.Writer.TryWrite(new NodeEvent(key, NodeKind.Redis, node, kind, DateTimeOffset.UnixEpoch, "test"));

    public Task<IReadOnlyList<NodeState>> EnsureAsync(ResourcePlan plan, CancellationToken cancellationToken) => throw Unused();

    public Task<IReadOnlyList<NodeState>> CheckAsync(ResourcePlan plan, CancellationToken cancellationToken) => throw Unused();

    public Task<Redoubt.Core.Access.ResourceSecrets> EnsureSecretsAsync(ResourcePlan plan, CancellationToken cancellationToken) => throw Unused();

    public Task RestartNodeAsync(ResourcePlan plan, string nodeName, CancellationToken cancellationToken) => throw Unused();

    public Task<bool> FenceNodeAsync(ResourcePlan plan, string nodeName, int? pid, DateTimeOffset? since, CancellationToken cancellationToken) => throw Unused();

    private static NotSupportedException Unused() => new("the loop's tests drive scripted reconcilers, which never ask the platform for nodes");
}
