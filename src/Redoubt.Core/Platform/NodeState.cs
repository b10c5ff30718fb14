namespace Redoubt.Core.Platform;

/// <summary>
/// One Redis or Sentinel node as the platform sees it. <see cref="Name"/> is stable for Redis nodes
/// (process name locally, pod name on Kubernetes); <see cref="Host"/> is null until the node has an address.
/// <see cref="Certificate"/>, for a TLS resource, names the certificate the node should serve now (its thumbprint):
/// when it changes (a renewal), Redoubt makes the running node load it.
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
    string? Outdated = null,
    string? Certificate = null)
{
    public string? Address => Host is null ? null : Endpoints.Format(Host, Port);
}
