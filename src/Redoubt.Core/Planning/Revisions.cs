namespace Redoubt.Core.Planning;

/// <summary>
/// The part of a node's configuration that only a restart applies, as one short hash: the rendered file without
/// the settings the healer changes at run time (CONFIG SET, SENTINEL SET) and without the monitored master. A
/// node started from a different hash than the plan's is restarted by the healer, one node at a time; a change of
/// maxmemory or of a Sentinel timer restarts nothing. Nor do Redoubt's own users: the healer creates and repairs them
/// at run time (ACL SETUSER, CONFIG SET masteruser, SENTINEL SET auth-user), a node started later reads them from its
/// freshly rendered file, and a resource created before them keeps its revisions (only the application password,
/// rendered as it always was, counts), so adding them restarts nothing.
/// </summary>
public static class Revisions
{
    public static string OfRedis(RedisNodeConfig config) =>
        ContentHash.Of(RedisConfigRenderer.RenderRedis(config with { Plan = config.Plan with { RedisSettings = [] }, Secrets = WithoutOwnUsers(config.Secrets) }));

    /// <summary>
    /// A Sentinel cannot load a renewed certificate at run time (it has no CONFIG SET), so the certificate it must
    /// serve is part of its revision: a renewal restarts it, one Sentinel at a time. A Redis node loads its renewed
    /// certificate with CONFIG SET, and its revision leaves the certificate out.
    /// </summary>
    public static string OfSentinel(SentinelNodeConfig config) =>
        ContentHash.Of(RedisConfigRenderer.RenderSentinel(config with { Master = null, Secrets = WithoutOwnUsers(config.Secrets) }) + (config.Tls?.Issued is { } issued ? $"# certificate {issued}\n" : ""));

    private static Access.ResourceSecrets? WithoutOwnUsers(Access.ResourceSecrets? secrets) => secrets is null ? null : secrets with { Redoubt = null };
}
