namespace Redoubt.Core.Planning;

/// <summary>
/// The part of a node's configuration that only a restart applies, as one short hash: the rendered file without
/// the settings the healer changes at run time (CONFIG SET, SENTINEL SET) and without the monitored master. A
/// node started from a different hash than the plan's is restarted by the healer, one node at a time; a change of
/// maxmemory or of a Sentinel timer restarts nothing.
/// </summary>
public static class Revisions
{
    public static string OfRedis(RedisNodeConfig config) =>
        ContentHash.Of(RedisConfigRenderer.RenderRedis(config with { Plan = config.Plan with { RedisSettings = [] } }));

    public static string OfSentinel(SentinelNodeConfig config) =>
        ContentHash.Of(RedisConfigRenderer.RenderSentinel(config with { Master = null }));
}
