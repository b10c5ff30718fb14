namespace Redoubt.Platforms.Local;

public sealed class LocalOptions
{
    /// <summary>The state folder ($REDOUBT_HOME): resources, node data, configs, logs, secrets, the control socket.</summary>
    public required string Home { get; init; }

    /// <summary>First Redis port tried; Sentinels start at <see cref="SentinelPortBase"/>.</summary>
    public int PortBase { get; init; } = 6379;

    public int SentinelPortBase { get; init; } = 26379;

    /// <summary>The loopback network whose .0.N addresses stand for the zones (127.10.0.1 for the first zone, and so on).</summary>
    public string ZoneNetwork { get; init; } = "127.10";

    public string RedisServer { get; init; } = "redis-server";

    public string RedisSentinel { get; init; } = "redis-sentinel";
}
