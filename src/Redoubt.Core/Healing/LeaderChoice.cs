namespace Redoubt.Core.Healing;

/// <summary>A replica as one Sentinel knows it (SENTINEL REPLICAS): what its own choice of replica is made from.</summary>
public sealed record KnownReplica(string Address, string RunId, int Priority, long Offset, long InfoRefreshMs, bool Down);

/// <summary>
/// Which Sentinel leads a forced failover. Sentinel confirms a promotion only on its next INFO to the promoted replica,
/// and during a failover it sends that INFO once a second, whatever its configured period (sentinel.c). Until it
/// confirms, the leader still names the old master. Each Sentinel's INFO runs on a clock of its own, so the leader
/// whose next INFO to the replica it will promote comes soonest after the promotion names the new master soonest:
/// on average a quarter of a second after it with three Sentinels, against half a second for any one of them. Redoubt
/// tells every Sentinel of the promotion itself (see PromotionAnnouncement); this choice counts when it cannot. Pure.
/// </summary>
public static class LeaderChoice
{
    /// <summary>Sentinel's INFO period during a failover (fixed in sentinel.c).</summary>
    public const long InfoPeriodMs = 1000;

    /// <summary>How long after SENTINEL FAILOVER the replica is usually promoted: a timer tick or two, then REPLICAOF NO ONE.</summary>
    public const long PromotionMs = 150;

    /// <summary>An INFO due this close to the promotion may go out just before it and see a replica still: count it as missed.</summary>
    public const long MarginMs = 60;

    /// <summary>
    /// The replica a Sentinel would promote, as sentinel.c's sentinelSelectSlave orders them: up, priority above 0,
    /// then the lowest priority, the largest offset, the smallest run id.
    /// </summary>
    public static KnownReplica? LikelyPromoted(IReadOnlyList<KnownReplica> replicas) =>
        replicas.Where(r => !r.Down && r.Priority > 0)
            .OrderBy(r => r.Priority)
            .ThenByDescending(r => r.Offset)
            .ThenBy(r => r.RunId, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>Milliseconds from the promotion to the Sentinel's next INFO of the replica it would promote; null when it knows none.</summary>
    public static long? ConfirmationDelay(IReadOnlyList<KnownReplica> replicas)
    {
        if (LikelyPromoted(replicas) is not { } replica)
        {
            return null;
        }

        // The next INFO goes out once the last reply is a period old; one due before the promotion sees a replica.
        var dueIn = Math.Max(0, InfoPeriodMs - replica.InfoRefreshMs);
        var afterPromotion = dueIn - PromotionMs;
        while (afterPromotion < MarginMs)
        {
            afterPromotion += InfoPeriodMs;
        }

        return afterPromotion;
    }

    /// <summary>
    /// The index of the Sentinel to ask, among those that may lead (null entries may not). Ties go to the last one:
    /// clients ask the first-listed Sentinels first, and those learn the new master from Redoubt at the promotion.
    /// With <paramref name="furthest"/> (the replicas that hold the most of the stream, read from the replicas
    /// themselves), only a Sentinel that would promote one of them may lead: Sentinel ranks replicas by the offsets of
    /// its last INFO, up to a second old, and promoting one that is behind another loses what only the other holds.
    /// </summary>
    public static int? Choose(IReadOnlyList<IReadOnlyList<KnownReplica>?> candidates, IReadOnlySet<string>? furthest = null)
    {
        int? best = null;
        long bestDelay = long.MaxValue;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i] is not { } replicas || (furthest is { Count: > 0 } && (LikelyPromoted(replicas) is not { } pick || !furthest.Contains(pick.Address))))
            {
                continue;
            }

            // A Sentinel that knows no promotable replica can still lead: Sentinel aborts and Redoubt asks again.
            var delay = ConfirmationDelay(replicas) ?? long.MaxValue - 1;
            if (delay <= bestDelay)
            {
                (best, bestDelay) = (i, delay);
            }
        }

        return best;
    }
}

/// <summary>How far each replica got in the old master's stream, read from the replicas when the master is gone. Pure.</summary>
public static class ReplicaOffsets
{
    /// <summary>The replicas at the largest offset among those that answered (empty when none did).</summary>
    public static IReadOnlySet<string> Furthest(IReadOnlyDictionary<string, long?> offsets)
    {
        var answered = offsets.Where(o => o.Value is not null).ToList();
        if (answered.Count == 0)
        {
            return new HashSet<string>();
        }

        var most = answered.Max(o => o.Value!.Value);
        return answered.Where(o => o.Value == most).Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether two reads agree: every replica that answered both times is where it was (nothing left to read).</summary>
    public static bool Settled(IReadOnlyDictionary<string, long?> before, IReadOnlyDictionary<string, long?> now) =>
        now.All(o => o.Value is null || (before.TryGetValue(o.Key, out var was) && was == o.Value));
}
