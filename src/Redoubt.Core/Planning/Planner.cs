using System.Collections.Immutable;
using System.Globalization;
using Redoubt.Core.Platform;
using Redoubt.Model;

namespace Redoubt.Core.Planning;

/// <summary>Generates the desired topology and settings of a resource. Pure: same spec, same plan.</summary>
public static class Planner
{
    public const int SentinelParallelSyncs = 1;

    /// <summary>
    /// Sentinel's process-wide timers. A Sentinel counts down-after from the first PING the master left unanswered,
    /// and PINGs once a second: a master that hangs just after a reply is judged down up to a second late, and the
    /// second of three Sentinels (the quorum) half a second late on average. Every 400 ms cuts that to 200 ms. Not
    /// shorter: while the master is down, Sentinel only promotes a replica that answered a PING and an INFO within five
    /// PING periods (2 s here), and it sends INFO once a second then, so the margin is twice the INFO period (at 100 ms
    /// each replica would be ruled out about half the time). INFO every second instead of every ten means a replica attached after a
    /// failover is known to the Sentinels (and the resource Ready again) within a second. down-after is unchanged.
    ///
    /// ASK-PERIOD 300 ms, a compromise between two failures the storm benchmark found. How often a Sentinel that judges
    /// the master down asks the others does not decide when the first of them agrees: the second Sentinel to judge it
    /// down asks at once and reaches o_down a timer tick later whatever the period. At 100 ms the first one agreed in
    /// that same tick too, and when all three start a candidacy in one tick each votes for itself and nobody is
    /// elected: a split vote, retried two failover timeouts later (1 hang in 10 took 7.5-8.6 s). But a Sentinel counts
    /// another's "down" reply for five ask periods: at Sentinel's default of a second, one cut off in a zone partition
    /// 4 s after a failover still counted the replies about the previous master, reached o_down alone, was elected the
    /// moment the partition healed, and failed over a healthy master. 300 ms keeps those replies 1.5 s.
    /// </summary>
    public static readonly IReadOnlyList<Setting> SentinelTimers = [new("PING-PERIOD", "400"), new("ASK-PERIOD", "300"), new(InfoPeriod, "1000"), new(PublishPeriod, Number(HelloPeriodMilliseconds))];

    /// <summary>
    /// Sentinel's hello period, at its default. It is planned so that the healer puts back a period changed by hand, or
    /// held back by an earlier hand-over, which stopped a leader's hellos for the length of a failover.
    /// </summary>
    public const string PublishPeriod = "PUBLISH-PERIOD";

    /// <summary>Sentinel's INFO period for replicas of a master that is up; the fast failover shortens it for a moment (see FastFailover).</summary>
    public const string InfoPeriod = "INFO-PERIOD";

    /// <summary>Sentinel's hello period (<see cref="PublishPeriod"/>), in milliseconds.</summary>
    private const long HelloPeriodMilliseconds = 2000;

    /// <summary>
    /// How long a Sentinel stays in TILT mode: after its timer fires more than two seconds late (the process or its
    /// machine was stopped, or the clock jumped) it keeps pinging and listening but judges nothing down and answers every
    /// peer that the master is up, until the period ends, because its timestamps are stale. Sentinel's default, 30 s, is
    /// thirty of its default PING periods. The pods run found what it costs: a zone frozen for five seconds during a
    /// failover left its Sentinel in TILT for 30 s after the thaw; when the next zone's master hung within those 30 s,
    /// only one of the two Sentinels left could judge it down, short of the quorum of two, and writes stopped for 29 s.
    /// What TILT waits for arrives much sooner here: a fresh reply from every instance within one PING period (400 ms),
    /// down-after of fresh history, and a peer's hello with any configuration it missed (a hello every 2 s; twice, so a
    /// lost one does not matter). Down-after plus two hello periods: 5 s with the 1 s default.
    /// </summary>
    public const string TiltPeriod = "TILT-PERIOD";

    /// <summary><see cref="SentinelTimers"/> and the TILT period for a down-after (see <see cref="TiltPeriod"/>).</summary>
    public static IReadOnlyList<Setting> SentinelTimersFor(long downAfterMilliseconds) =>
        [.. SentinelTimers, new(TiltPeriod, Number(downAfterMilliseconds + 2 * HelloPeriodMilliseconds))];

    /// <summary>A Redis node's name when the platform has no names of its own (the local platform's).</summary>
    public static string DefaultRedisNodeName(int ordinal) => $"redis-{ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <param name="redisNodeName">The platform's name for the Redis node of an ordinal (<see cref="Platform.IRedisPlatform.RedisNodeName"/>).</param>
    /// <param name="defaults">The platform's own defaults (<see cref="Platform.IRedisPlatform.Defaults"/>); the reference platform's when null.</param>
    public static ResourcePlan Plan(RedisResource resource, Func<int, string>? redisNodeName = null, PlatformDefaults? defaults = null)
    {
        var spec = SpecDefaults.Resolve(resource.Spec, defaults);
        var (grace, graceError) = ResourceAnnotations.PasswordGraceOf(resource);
        var rotation = ResourceAnnotations.PasswordRotatedAtOf(resource);
        return new ResourcePlan
        {
            Namespace = resource.Metadata.Namespace,
            Name = resource.Metadata.Name,
            Generation = resource.Metadata.Generation,
            Uid = string.IsNullOrEmpty(resource.Metadata.Uid) ? null : resource.Metadata.Uid,
            Labels = resource.Metadata.Labels.ToImmutableDictionary(StringComparer.Ordinal),
            Annotations = resource.Metadata.Annotations.ToImmutableDictionary(StringComparer.Ordinal),
            RequestedZones = resource.Spec.Zones is { Count: > 0 } zones ? [.. zones] : null,
            Spec = spec,
            RedisNodes = Spread(NodeKind.Redis, redisNodeName ?? DefaultRedisNodeName, spec.Replicas, spec.Zones),
            Sentinels = Spread(NodeKind.Sentinel, i => $"sentinel-{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}", spec.Sentinel.Replicas, spec.Zones),
            RedisSettings = RedisSettingsFor(spec),
            SentinelSettings = SentinelSettingsFor(spec),
            SentinelTimers = SentinelTimersFor(spec.Sentinel.DownAfterMilliseconds),
            RestartedAt = ResourceAnnotations.RestartedAtOf(resource),
            PasswordRotation = rotation is not null && graceError is null ? new Access.RotationRequest(rotation, grace ?? Access.PasswordRotation.DefaultGrace) : null,
            PasswordRotationError = rotation is not null ? graceError : null,
        };
    }

    /// <summary>Round-robin over the zones so that consecutive ordinals (the master and its replicas) land in different zones.</summary>
    internal static IReadOnlyList<PlannedNode> Spread(NodeKind kind, Func<int, string> name, int count, IReadOnlyList<string> zones) =>
        [.. Enumerable.Range(0, count).Select(i => new PlannedNode(kind, name(i), i, zones[i % zones.Count]))];

    internal static IReadOnlyList<Setting> RedisSettingsFor(EffectiveSpec spec)
    {
        var settings = new List<Setting>
        {
            new("maxmemory", Number(spec.MaxmemoryBytes)),
            new("maxmemory-policy", spec.MaxmemoryPolicy),
            new("appendonly", spec.Persistence is PersistenceMode.Aof or PersistenceMode.Both ? "yes" : "no"),
            // RDB snapshots: the Redis defaults when RDB is wanted, none otherwise (AOF alone, or a pure cache).
            new("save", spec.Persistence is PersistenceMode.Rdb or PersistenceMode.Both ? "3600 1 300 100 60 10000" : ""),
            new("min-replicas-to-write", Number(spec.MinReplicasToWrite)),
            new("min-replicas-max-lag", Number(spec.MinReplicasMaxLag)),
        };
        return settings;
    }

    internal static IReadOnlyList<Setting> SentinelSettingsFor(EffectiveSpec spec) =>
    [
        new("down-after-milliseconds", Number(spec.Sentinel.DownAfterMilliseconds)),
        new("failover-timeout", Number(spec.Sentinel.FailoverTimeout)),
        new("parallel-syncs", Number(SentinelParallelSyncs)),
    ];

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
