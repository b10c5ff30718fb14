using Redoubt.Model;

namespace Redoubt.Core.ControlPlane;

/// <summary>
/// What the command line asks of a control plane. The local server implements it over its resources; the
/// command line reaches it through the Unix-socket API with a client that implements the same interface.
/// </summary>
public interface IControlPlane
{
    /// <summary>Validates every document of <paramref name="yaml"/> first; applies them only when all are valid.</summary>
    Task<ApplyResult> ApplyAsync(string yaml, string fileName, CancellationToken cancellationToken);

    Task<IReadOnlyList<RedisResource>> ListAsync(CancellationToken cancellationToken);

    Task<RedisResource?> GetAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Stops every node of the resource; removes its data unless <paramref name="keepData"/>. False when it does not exist.</summary>
    Task<bool> DeleteAsync(string @namespace, string name, bool keepData, CancellationToken cancellationToken);

    /// <summary>Planned switchover to the most caught-up replica (or <paramref name="target"/>).</summary>
    Task<SwitchoverResult> FailoverAsync(string @namespace, string name, string? target, CancellationToken cancellationToken);

    /// <summary>
    /// Asks for a rolling restart of every node (<see cref="ResourceAnnotations.RestartedAt"/>): Sentinels, then
    /// replicas, then the master after a switchover. Returns the request's mark, or null when the resource does not exist.
    /// </summary>
    Task<string?> RestartAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Asks for a new application password (<see cref="ResourceAnnotations.PasswordRotatedAt"/>); the old one is accepted
    /// for <paramref name="grace"/> more. Returns the request's mark, or null when the resource does not exist.
    /// </summary>
    Task<string?> RotatePasswordAsync(string @namespace, string name, TimeSpan grace, CancellationToken cancellationToken);

    Task<Credentials?> GetCredentialsAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Takes a backup now (from an in-sync replica), keeps the newest <paramref name="keep"/> when given.</summary>
    Task<BackupResult> BackupAsync(string @namespace, string name, int? keep, CancellationToken cancellationToken);

    /// <summary>The resource's good backups, oldest first; they outlive the resource itself.</summary>
    Task<IReadOnlyList<Backup.BackupManifest>> ListBackupsAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the resource's data with a backup: <paramref name="from"/> is a backup id of the resource itself, or
    /// SOURCE/ID for one of another resource of the namespace. A resource that does not exist is created first, with the
    /// spec the backup was taken with, and restored once Ready.
    /// </summary>
    Task<RestoreResult> RestoreAsync(string @namespace, string name, string from, CancellationToken cancellationToken);
}

public sealed record ApplyResult(IReadOnlyList<AppliedResource> Applied, IReadOnlyList<ValidationError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>One resource of an apply; <see cref="Change"/> is "created", "configured" or "unchanged".</summary>
public sealed record AppliedResource(string Namespace, string Name, string Change, long Generation);

public sealed record SwitchoverResult(bool Succeeded, string? From, string? To, double WritePauseMs, string Message);

public sealed record Credentials(
    string Namespace,
    string Name,
    string MasterName,
    IReadOnlyList<string> Sentinels,
    string? Master,
    bool AuthEnabled,
    string? Password)
{
    /// <summary>
    /// For a TLS resource, the file of its CA certificate: clients trust it (and only it) to check the nodes and
    /// Sentinels. Null when the resource does not speak TLS.
    /// </summary>
    public string? CertificateAuthorityFile { get; init; }

    /// <summary>The master endpoint (<see cref="Model.RedisStatus.Endpoint"/>): one address for clients that take a single host and port.</summary>
    public string? Endpoint { get; init; }

    /// <summary>
    /// A <c>redis://</c> URL of the master endpoint (<c>rediss://</c> with TLS), as most frameworks' REDIS_URL takes it;
    /// null without an endpoint. The password is written <c>&lt;password&gt;</c> unless asked for.
    /// </summary>
    public string? EndpointUrl(bool includePassword)
    {
        if (Endpoint is null)
        {
            return null;
        }

        var login = !AuthEnabled ? "" : includePassword && Password is not null ? $":{Uri.EscapeDataString(Password)}@" : ":<password>@";
        return $"{(CertificateAuthorityFile is null ? "redis" : "rediss")}://{login}{Endpoint}";
    }

    /// <summary>
    /// The settings of Redoubt.Client's <c>SentinelClientSettings</c> that a connection string can carry, at its
    /// defaults (<c>RedoubtConnectionOptions</c>), so that a pasted string follows a failover fast too: no failure at
    /// start-up when a node is down, a connect timeout that also bounds each reconfigure around a frozen master, command
    /// timeouts, keep-alives that notice a silent Sentinel, a role check that notices a demoted master, and no
    /// tie-breaker key (Sentinel decides who the master is). The string cannot carry the heartbeat, the reconnect
    /// policy, failing fast while no master is reachable, or the CA to trust: those need code (Redoubt.Client).
    /// </summary>
    public const string FastFailoverSettings =
        "abortConnect=false,connectTimeout=500,syncTimeout=1000,asyncTimeout=1000,keepAlive=1,configCheckSeconds=2,tiebreaker=";

    /// <summary>
    /// A StackExchange.Redis connection string that finds the master through the Sentinels, with
    /// <see cref="FastFailoverSettings"/>; with TLS, <c>ssl=true</c>. The library checks the server's certificate
    /// against the machine's trusted roots unless told otherwise, so a TLS client also calls
    /// <c>ConfigurationOptions.TrustIssuer(CertificateAuthorityFile)</c>.
    /// </summary>
    public string StackExchangeConnectionString(bool includePassword) =>
        string.Join(',', Sentinels) + $",serviceName={MasterName}," + FastFailoverSettings +
        (CertificateAuthorityFile is not null ? ",ssl=true" : "") +
        (AuthEnabled && includePassword && Password is not null ? $",password={Password}" : "");
}
