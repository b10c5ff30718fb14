using Redoubt.Core.Access;

namespace Redoubt.Core.Planning;

/// <summary>Where and how one Sentinel runs. <see cref="Master"/> is the master it starts monitoring, when one is known.</summary>
public sealed record SentinelNodeConfig
{
    public required ResourcePlan Plan { get; init; }
    public required PlannedNode Node { get; init; }
    public required IReadOnlyList<string> Bind { get; init; }
    public required int Port { get; init; }
    public string? AnnounceHost { get; init; }
    public required string Directory { get; init; }
    public string? LogFile { get; init; }
    /// <summary>The users and passwords to render; null when an included file carries them (a Kubernetes Secret).</summary>
    public ResourceSecrets? Secrets { get; init; }
    public (string Host, int Port)? Master { get; init; }
    /// <summary>
    /// A stable Sentinel id, so a restarted Sentinel is the same peer to the others. Null where one file serves
    /// several Sentinels (a Kubernetes Deployment): each then picks its own at first start.
    /// </summary>
    public string? MyId { get; init; }
    public IReadOnlyList<string> Includes { get; init; } = [];
    /// <summary>Set for a TLS resource: the Sentinel then listens with TLS only, on <see cref="Port"/>, and reaches nodes and peers with TLS.</summary>
    public TlsFiles? Tls { get; init; }
}
