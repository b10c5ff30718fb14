namespace Redoubt.Core.Backup;

/// <summary>
/// What one backup holds, written beside its snapshot once the snapshot is verified: a backup without a manifest is
/// not a backup (an upload or a check that failed half-way leaves none).
/// </summary>
/// <param name="Id">Its name in the resource's catalogue: the UTC time it was taken, e.g. 20261203T125501Z.</param>
/// <param name="Resource">namespace/name of the resource it was taken from.</param>
/// <param name="SourceNode">The node whose snapshot it is; <paramref name="SourceRole"/> says whether that was a replica or the master.</param>
/// <param name="Sha256">Of the snapshot file, lower-case hex: a restore checks it before it loads anything.</param>
/// <param name="Keys">As redis-check-rdb counted them (expired keys included until a server loads the snapshot).</param>
public sealed record BackupManifest(
    string Id,
    string Resource,
    DateTimeOffset Time,
    long SizeBytes,
    long Keys,
    long Expires,
    string SourceNode,
    string SourceRole,
    string Sha256,
    string? RedisVersion,
    double DurationMs)
{
    /// <summary>The resource's spec when it was taken: a restore into a new resource starts from it, even after the source was deleted.</summary>
    public Model.RedisSpec? Spec { get; init; }
}
