namespace Redoubt.Core.Platform;

/// <summary>
/// One Redis or Sentinel node as the platform sees it. <see cref="Name"/> is stable for Redis nodes
/// (process name locally, pod name on Kubernetes); <see cref="Host"/> is null until the node has an address.
/// </summary>
public sealed record NodeState(
    NodeKind Kind,
    string Name,
    string Zone,
    NodeLifecycle Lifecycle,
    string? Host,
    int Port,
    int? Pid = null,
    DateTimeOffset? Since = null,
    string? Outdated = null)
{
    public string? Address => Host is null ? null : Endpoints.Format(Host, Port);
}
