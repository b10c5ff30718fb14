using System.Threading.Channels;
using Redoubt.Core.Access;
using Redoubt.Core.Planning;

namespace Redoubt.Core.Platform;

/// <summary>
/// What a platform (local processes, Kubernetes objects) does for the reconciler. It creates and removes nodes
/// and says where they are; it never decides roles: every Redis node it starts boots as a parked replica
/// (see <see cref="RedisConfigRenderer"/>), and the healer decides who is master.
/// </summary>
public interface IRedisPlatform
{
    /// <summary>Makes the plan's nodes exist (creating, restarting exited ones, removing surplus) and returns them. Idempotent.</summary>
    Task<IReadOnlyList<NodeState>> EnsureAsync(ResourcePlan plan, CancellationToken cancellationToken);

    /// <summary>Read-only: the nodes as they are now.</summary>
    Task<IReadOnlyList<NodeState>> CheckAsync(ResourcePlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// The resource's passwords, each created on first use: the application's (none when auth is off) and, where the
    /// platform manages ACL users, those of Redoubt's own users.
    /// </summary>
    Task<ResourceSecrets> EnsureSecretsAsync(ResourcePlan plan, CancellationToken cancellationToken);

    /// <summary>Restarts one node with freshly rendered configuration (rolling restart of settings that need it).</summary>
    Task RestartNodeAsync(ResourcePlan plan, string nodeName, CancellationToken cancellationToken);

    /// <summary>
    /// Stops a node at once, before it can process anything more (SIGKILL; a pod deleted without grace). Used on a
    /// deposed master that hangs: if it woke up it would acknowledge writes the new master never sees. The platform
    /// starts it again, parked, like any node that exited.
    /// </summary>
    /// <param name="pid">When known, only that process is fenced: a node already restarted is left alone.</param>
    /// <returns>False when there was nothing to fence: the process had already gone or been replaced.</returns>
    Task<bool> FenceNodeAsync(ResourcePlan plan, string nodeName, int? pid, CancellationToken cancellationToken);

    /// <summary>
    /// Lifecycle facts the platform saw directly (a process exited, a container terminated, a pod was deleted), for
    /// every resource. The control loop reads them and hands each to its resource's fast path at once.
    /// </summary>
    ChannelReader<NodeEvent> NodeEvents { get; }
}
