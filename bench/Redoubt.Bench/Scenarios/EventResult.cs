namespace Redoubt.Bench.Scenarios;

/// <summary>One measured event: a fault (or a planned switchover) and what the writer saw.</summary>
/// <param name="GapMs">Longest time without an acknowledged write from the fault on.</param>
/// <param name="Lost">Acknowledged writes missing on the final master.</param>
/// <param name="ServerMs">What the setup itself reports (Redoubt's recorded failover duration, or the switchover's write pause).</param>
internal sealed record EventResult(string Setup, string Event, int Run, double GapMs, int Lost, int Acknowledged, double? ServerMs, string Note = "");
