namespace Redoubt.Bench.Storm;

/// <summary>
/// What the Sentinels said during one fault, judged from their answers: when the first and the last of them named the
/// new master, and every answer that should not have been given.
/// </summary>
/// <param name="FlipBacks">
/// A Sentinel that named the new master and later another address (each such change counts), plus each distinct
/// address a Sentinel named that is neither the old nor the new master.
/// </param>
/// <param name="FirstMs">When the first Sentinel named the new master (null when the master did not change).</param>
/// <param name="AllMs">
/// From when on every Sentinel named only the new master (null when the master did not change, or a Sentinel never
/// settled on it before the watch ended).
/// </param>
internal sealed record SentinelVerdict(int FlipBacks, IReadOnlyList<string> Anomalies, double? FirstMs, double? AllMs)
{
    public static SentinelVerdict Judge(IReadOnlyList<SentinelAnswer> answers, int sentinels, string oldMaster, string? newMaster, Timeline timeline)
    {
        var anomalies = new List<string>();
        var flipBacks = 0;
        var changed = newMaster is not null && newMaster != oldMaster;
        double? first = null;
        double? all = changed ? double.MinValue : null;
        for (var s = 0; s < sentinels; s++)
        {
            var own = answers.Where(a => a.Sentinel == s).OrderBy(a => a.At).ToList();
            var sawNew = false;
            string? previous = null;
            var strays = new HashSet<string>(StringComparer.Ordinal);
            double? settled = null;
            foreach (var answer in own)
            {
                var shown = answer.Master ?? $"(no answer: {answer.Error})";
                if (shown != previous)
                {
                    timeline.Add(answer.At, $"Sentinel {s + 1} names {shown}");
                    previous = shown;
                }

                if (answer.Master is not { } named)
                {
                    continue;
                }

                if (named != oldMaster && named != newMaster && strays.Add(named))
                {
                    flipBacks++;
                    anomalies.Add($"Sentinel {s + 1} named {named} (neither the old master {oldMaster} nor the new {newMaster ?? "-"}) at {Timeline.Seconds(timeline.Ms(answer.At))}");
                }

                if (!changed)
                {
                    continue;
                }

                if (named == newMaster)
                {
                    first = first is null ? timeline.Ms(answer.At) : Math.Min(first.Value, timeline.Ms(answer.At));
                    settled ??= timeline.Ms(answer.At);
                    sawNew = true;
                }
                else
                {
                    if (sawNew && settled is not null)
                    {
                        flipBacks++;
                        anomalies.Add($"Sentinel {s + 1} named the new master {newMaster} and then {named} at {Timeline.Seconds(timeline.Ms(answer.At))}");
                    }

                    settled = null;
                }
            }

            if (changed)
            {
                all = settled is null || all is null ? null : Math.Max(all.Value, settled.Value);
            }
        }

        return new SentinelVerdict(flipBacks, anomalies, first, all);
    }
}
