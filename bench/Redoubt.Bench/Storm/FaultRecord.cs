namespace Redoubt.Bench.Storm;

/// <summary>One fault of the storm and everything measured about it (times in ms from the fault).</summary>
/// <param name="GapMs">The writer's longest time without an acknowledged write, from the fault until it wrote again after Ready.</param>
/// <param name="Lost">Acknowledged writes since the previous check missing on the master once Ready again.</param>
/// <param name="ReadyMs">Back to phase Ready with every Sentinel and node healthy; null on timeout.</param>
/// <param name="UnexpectedRestarts">Nodes and Sentinels other than the one killed whose pid changed.</param>
/// <param name="Snapshots">The resource as JSON at each phase change and at Ready, with when it was taken.</param>
internal sealed record FaultRecord(
    string Resource,
    int Number,
    FaultKind Kind,
    string Target,
    DateTimeOffset FaultWall,
    double GapMs,
    double GapFromMs,
    double GapToMs,
    int Lost,
    int Checked,
    string OldMaster,
    string? NewMaster,
    SentinelVerdict Sentinels,
    double? ReadyMs,
    double EndMs,
    int UnexpectedRestarts,
    string? Failure,
    Timeline Timeline,
    IReadOnlyList<(double Ms, string Json)> Snapshots)
{
    public bool FalseFailover => !Kind.TouchesMaster() && NewMaster is not null && NewMaster != OldMaster;

    public string Id => $"{Resource}-{Number:D3}-{Kind}";
}
