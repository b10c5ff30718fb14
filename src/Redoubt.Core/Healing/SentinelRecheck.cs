namespace Redoubt.Core.Healing;

/// <summary>
/// The last look before Redoubt overrides the Sentinels (re-pointing them, demoting a master). A pass observes the
/// nodes and the Sentinels one after the other, and a Sentinel failover can fall between the two: the storm caught a
/// pass that read the promoted replica as a replica and the Sentinels as already naming it, then re-pointed them at the
/// old master and demoted the new one, losing what it had acknowledged. So the Sentinels are asked again just before,
/// and the action runs only when that look rules out that they moved on: no other node can have a majority of them, or
/// the node a majority names answers as something other than master. What the look cannot rule out drops the action
/// (the next pass looks again): a Sentinel or a named node too busy to answer in time is no proof. A full suite run on
/// a loaded machine caught exactly that: the promoted replica's ROLE timed out, the override ran, and the writes it had
/// acknowledged were lost when it was demoted. Pure.
/// </summary>
public static class SentinelRecheck
{
    /// <param name="intended">The master the action would keep (the one the Sentinels are pointed at, or a demotion's master).</param>
    /// <param name="named">What each Sentinel names now (null: no answer).</param>
    /// <param name="sentinels">How many Sentinels the resource has; those not in <paramref name="named"/> count as unanswered.</param>
    /// <param name="namedRole">ROLE of the node a majority names instead ("master", "slave"; null: no answer).</param>
    /// <param name="namedRuns">Whether that node is one of the resource's nodes and its process runs.</param>
    /// <returns>Why the action must not run; null when it may.</returns>
    public static string? WhyNot(string intended, IReadOnlyList<string?> named, int sentinels, string? namedRole, bool namedRuns)
    {
        var need = sentinels / 2 + 1;
        var unanswered = sentinels - named.Count(n => n is not null);
        var (address, count) = Rival(intended, named) ?? ("another node", 0);
        if (count + unanswered < need)
        {
            return null;
        }

        if (count < need)
        {
            return $"only {sentinels - unanswered} of {sentinels} Sentinels answered the last look, so it cannot rule out that a majority names {address} now";
        }

        return namedRole switch
        {
            "master" => $"the Sentinels name {address} now, and it answers as master: they failed over after this pass looked",
            null when namedRuns => $"the Sentinels name {address} now, which runs but did not answer: it may be their new master",
            _ => null,
        };
    }

    /// <summary>The address other than <paramref name="intended"/> that most Sentinels name, with how many name it.</summary>
    public static (string Address, int Count)? Rival(string intended, IReadOnlyList<string?> named) =>
        named.OfType<string>().Where(a => a != intended).GroupBy(a => a, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ((string, int)?)(g.Key, g.Count())).FirstOrDefault();

    /// <summary>The master an action would keep, when it overrides the Sentinels; null for every other action.</summary>
    public static string? Intended(HealAction action) => action switch
    {
        MonitorMaster m when m.Sentinels.Any(s => s.Replace) => m.MasterAddress,
        DemoteMaster d => d.MasterAddress,
        _ => null,
    };
}
