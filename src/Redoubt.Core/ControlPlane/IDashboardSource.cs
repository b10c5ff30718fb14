using Redoubt.Model;

namespace Redoubt.Core.ControlPlane;

/// <summary>
/// What the dashboard reads and asks of a control plane: the resources with their status, a feed that rings when one
/// changes, a planned switchover and a rolling restart. The local control plane is one; the operator is the other.
/// </summary>
public interface IDashboardSource
{
    Task<IReadOnlyList<RedisResource>> ListAsync(CancellationToken cancellationToken);

    Task<RedisResource?> GetAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Rings whenever a resource's status, spec or existence changes.</summary>
    StatusFeed Changes { get; }

    /// <summary>
    /// Planned switchover to the most caught-up replica (or <paramref name="target"/>). Throws
    /// <see cref="RedoubtException"/> when it cannot be tried (no such resource, not reconciled yet), and
    /// <see cref="NotLeaderException"/> when another instance of the control plane is the one that acts.
    /// </summary>
    Task<SwitchoverResult> FailoverAsync(string @namespace, string name, string? target, CancellationToken cancellationToken);

    /// <summary>Asks for a rolling restart (<see cref="ResourceAnnotations.RestartedAt"/>); the request's mark, or null when the resource does not exist.</summary>
    Task<string?> RestartAsync(string @namespace, string name, CancellationToken cancellationToken);
}
