namespace Redoubt.Core.Healing;

/// <summary>
/// The last look before Redoubt overrides the Sentinels (re-pointing them, demoting a master). A pass observes the
/// nodes and the Sentinels one after the other, and a Sentinel failover can fall between the two: the storm caught a
/// pass that read the promoted replica as a replica and the Sentinels as already naming it, then re-pointed them at the
/// old master and demoted the new one, losing what it had acknowledged. So the Sentinels are asked again just before;
/// if a majority of them now names another node that answers as master, they moved on and the action is dropped. Pure.
/// </summary>
public static class SentinelRecheck
{
    /// <param name="intended">The master the action would keep (the one the Sentinels are pointed at, or a demotion's master).</param>
    /// <param name="named">What each Sentinel names now (null: no answer).</param>
    /// <param name="namedIsMaster">Whether the node a majority names answers ROLE as master now.</param>
    /// <returns>Why the action must not run; null when it may.</returns>
    public static string? WhyNot(string intended, IReadOnlyList<string?> named, int sentinels, bool namedIsMaster) =>
        Majority(named, sentinels) is { } majority && majority != intended && namedIsMaster
            ? $"the Sentinels name {majority} now, and it answers as master: they failed over after this pass looked"
            : null;

    /// <summary>The address a majority of <paramref name="sentinels"/> names, or null.</summary>
    public static string? Majority(IReadOnlyList<string?> named, int sentinels) =>
        named.OfType<string>().GroupBy(a => a, StringComparer.Ordinal).FirstOrDefault(g => g.Count() >= sentinels / 2 + 1)?.Key;

    /// <summary>The master an action would keep, when it overrides the Sentinels; null for every other action.</summary>
    public static string? Intended(HealAction action) => action switch
    {
        MonitorMaster m when m.Sentinels.Any(s => s.Replace) => m.MasterAddress,
        DemoteMaster d => d.MasterAddress,
        _ => null,
    };
}
