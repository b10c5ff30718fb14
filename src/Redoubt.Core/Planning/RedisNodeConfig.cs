using Redoubt.Core.Access;

namespace Redoubt.Core.Planning;

/// <summary>
/// Where and how one Redis node runs, as its platform decides. <see cref="ParkHost"/>/<see cref="ParkPort"/> is
/// the node's own address: every node boots as a replica of itself (a harmless, never-connecting replica), so
/// no node can come up as a master on its own and a node restarted empty can never wipe the others. Platforms
/// that only know the address at boot leave it null and pass it to the process themselves.
/// </summary>
public sealed record RedisNodeConfig
{
    public required ResourcePlan Plan { get; init; }
    public required PlannedNode Node { get; init; }
    public required IReadOnlyList<string> Bind { get; init; }
    public required int Port { get; init; }
    public string? AnnounceHost { get; init; }
    public required string DataDirectory { get; init; }
    /// <summary>Null logs to standard output (containers).</summary>
    public string? LogFile { get; init; }
    /// <summary>The users and passwords to render; null when <see cref="Includes"/> carries them (a Kubernetes Secret).</summary>
    public ResourceSecrets? Secrets { get; init; }
    public string? ParkHost { get; init; }
    public int? ParkPort { get; init; }
    public IReadOnlyList<string> Includes { get; init; } = [];
    /// <summary>Set for a TLS resource: the node then listens with TLS only, on <see cref="Port"/>.</summary>
    public TlsFiles? Tls { get; init; }
}
