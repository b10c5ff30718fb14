using System.Threading.Channels;
using Redoubt.Core.Access;
using Redoubt.Core.Planning;
using Redoubt.Core.Tls;
using Redoubt.Model;

namespace Redoubt.Core.Platform;

/// <summary>
/// What a platform (local processes, Kubernetes objects) does for the reconciler. It creates and removes nodes
/// and says where they are; it never decides roles: every Redis node it starts boots as a parked replica
/// (see <see cref="RedisConfigRenderer"/>), and the healer decides who is master.
/// </summary>
public interface IRedisPlatform
{
    /// <summary>
    /// The name of the Redis node of <paramref name="ordinal"/> in resource <paramref name="resourceName"/>, as the
    /// platform reports it in <see cref="NodeState.Name"/>: the plan names its nodes this way, so what the healer
    /// plans and what the platform observes are the same nodes by name. Locally <c>redis-0</c>; on Kubernetes the
    /// StatefulSet's pod, <c>rfr-redis-NAME-0</c>.
    /// </summary>
    string RedisNodeName(string resourceName, int ordinal) => Planner.DefaultRedisNodeName(ordinal);

    /// <summary>What this platform defaults differently from the reference platform (persistence, locally).</summary>
    PlatformDefaults Defaults => PlatformDefaults.Reference;

    /// <summary>Makes the plan's nodes exist (creating, restarting exited ones, removing surplus) and returns them. Idempotent.</summary>
    Task<IReadOnlyList<NodeState>> EnsureAsync(ResourcePlan plan, CancellationToken cancellationToken);

    /// <summary>Read-only: the nodes as they are now.</summary>
    Task<IReadOnlyList<NodeState>> CheckAsync(ResourcePlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// The resource's passwords, each created on first use: the application's (none when auth is off) and, where the
    /// platform manages ACL users, those of Redoubt's own users.
    /// </summary>
    Task<ResourceSecrets> EnsureSecretsAsync(ResourcePlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// For a TLS resource (<c>spec.tls.enabled</c>), the resource's CA, created on first use, which Redoubt's own
    /// connections trust; null for a resource without TLS. The nodes' certificates are issued (and renewed) by
    /// <see cref="EnsureAsync"/>, which reports each in <see cref="NodeState.Certificate"/>. A platform that cannot
    /// serve TLS refuses the resource rather than run it in clear.
    /// </summary>
    Task<ServerTrust?> EnsureTlsAsync(ResourcePlan plan, CancellationToken cancellationToken) =>
        plan.Spec.TlsEnabled
            ? throw new RedoubtException($"{plan.Key}: spec.tls.enabled is true but this platform cannot serve TLS; set it to false")
            : Task.FromResult<ServerTrust?>(null);

    /// <summary>Restarts one node with freshly rendered configuration (rolling restart of settings that need it).</summary>
    Task RestartNodeAsync(ResourcePlan plan, string nodeName, CancellationToken cancellationToken);

    /// <summary>
    /// Stops a node at once, before it can process anything more (SIGKILL; a pod deleted without grace). Used on a
    /// deposed master that hangs: if it woke up it would acknowledge writes the new master never sees. The platform
    /// starts it again, parked, like any node that exited.
    /// </summary>
    /// <param name="pid">When known, only that process is fenced: a node already restarted is left alone.</param>
    /// <param name="since">
    /// When the fenced incarnation started, for platforms without pids (a container's start): a container restarted
    /// since, or a new pod with the same name, is left alone.
    /// </param>
    /// <returns>False when there was nothing to fence: the process had already gone or been replaced.</returns>
    Task<bool> FenceNodeAsync(ResourcePlan plan, string nodeName, int? pid, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>
    /// A failover or switchover just made <paramref name="masterNode"/> the master, before the next pass observes it:
    /// a platform that routes clients by labels (Kubernetes' master Service) moves them now. Best effort; the next
    /// pass's observation stays the authority.
    /// </summary>
    Task MasterMovedAsync(ResourcePlan plan, string masterNode, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The resource's master endpoint where the master itself serves it (<see cref="Redis.EndpointBinding"/>): an
    /// address and port that the current master listens on beside its own address, so that clients who know one address
    /// always reach the master. Null where there is none, or where the platform routes clients another way (Kubernetes'
    /// master Service).
    /// </summary>
    string? MasterEndpoint(ResourcePlan plan) => null;

    /// <summary>
    /// The address the status gives clients that take one host and port (<see cref="Model.RedisStatus.Endpoint"/>): the
    /// master endpoint where the master serves it, or where the platform routes to the master another way (Kubernetes'
    /// master Service) that route's address.
    /// </summary>
    string? ClientEndpoint(ResourcePlan plan) => MasterEndpoint(plan);

    /// <summary>
    /// Lifecycle facts the platform saw directly (a process exited, a container terminated, a pod was deleted), for
    /// every resource. The control loop reads them and hands each to its resource's fast path at once.
    /// </summary>
    ChannelReader<NodeEvent> NodeEvents { get; }
}
