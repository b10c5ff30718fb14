using Redoubt.Core.Access;

namespace Redoubt.Core.Planning;

/// <summary>
/// The part of a node's configuration that only a restart applies, as one short hash: the rendered file without
/// the settings the healer changes at run time (CONFIG SET, SENTINEL SET), without the monitored master and without
/// the passwords. A node started from a different hash than the plan's is restarted by the healer, one node at a
/// time; a change of maxmemory or of a Sentinel timer restarts nothing. Nor do the users and their passwords: the
/// healer creates and repairs them at run time (ACL SETUSER, CONFIG SET masteruser, SENTINEL SET auth-user), a node
/// started later reads them from its freshly rendered file, and a rotation of the application password must not
/// restart anything. Only whether there is an application password counts.
/// </summary>
public static class Revisions
{
    /// <summary>Stands for the application password: its value is no part of a revision.</summary>
    private const string AnyPassword = "application-password";

    public static string OfRedis(RedisNodeConfig config) =>
        ContentHash.Of(RedisConfigRenderer.RenderRedis(config with { Plan = config.Plan with { RedisSettings = [] }, Secrets = WithoutPasswords(config.Secrets) }));

    /// <summary>
    /// A Sentinel cannot load a renewed certificate at run time (it has no CONFIG SET), so the certificate it must
    /// serve is part of its revision: a renewal restarts it, one Sentinel at a time. A Redis node loads its renewed
    /// certificate with CONFIG SET, and its revision leaves the certificate out.
    /// </summary>
    public static string OfSentinel(SentinelNodeConfig config) =>
        ContentHash.Of(RedisConfigRenderer.RenderSentinel(config with { Master = null, Secrets = WithoutPasswords(config.Secrets) }) + (config.Tls?.Issued is { } issued ? $"# certificate {issued}\n" : ""));

    /// <summary>
    /// The hashes versions before this one gave a node with the same configuration, one per password the application
    /// user accepts (they counted its value): a node started by such a version is current, not outdated.
    /// </summary>
    public static IReadOnlyList<string> EarlierOfRedis(RedisNodeConfig config) =>
        [.. Earlier(config.Secrets).Select(secrets => ContentHash.Of(RedisConfigRenderer.RenderRedis(config with { Plan = config.Plan with { RedisSettings = [] }, Secrets = secrets })))];

    /// <inheritdoc cref="EarlierOfRedis"/>
    public static IReadOnlyList<string> EarlierOfSentinel(SentinelNodeConfig config) =>
        [.. Earlier(config.Secrets).Select(secrets => ContentHash.Of(RedisConfigRenderer.RenderSentinel(config with { Master = null, Secrets = secrets })))];

    private static IEnumerable<ResourceSecrets> Earlier(ResourceSecrets? secrets) =>
        secrets?.ApplicationPasswords.Select(password => new ResourceSecrets(password, null)) ?? [];

    private static ResourceSecrets? WithoutPasswords(ResourceSecrets? secrets) =>
        secrets is null ? null : new ResourceSecrets(secrets.Application is null ? null : AnyPassword, null);
}
