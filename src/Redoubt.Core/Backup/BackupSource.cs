using Redoubt.Model;

namespace Redoubt.Core.Backup;

/// <summary>Where a snapshot is taken: one node, and whether taking it there touches the master.</summary>
public sealed record BackupCandidate(string Node, string Address, bool IsMaster);

/// <summary>
/// Picks the nodes a backup may be taken from, in order: replicas in sync with the master, least lag first, so the
/// master's latency is untouched (the snapshot is forked on the replica); the master last, only when no replica can
/// give one. A pure function of the resource's status, table-tested.
/// </summary>
public static class BackupSource
{
    public static IReadOnlyList<BackupCandidate> Candidates(RedisStatus? status)
    {
        if (status is null)
        {
            return [];
        }

        var replicas = status.Nodes
            .Where(n => n.Role == "replica" && n.Health == "ok" && n.Address.Length > 0)
            .OrderBy(n => n.LagBytes ?? long.MaxValue)
            .ThenBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new BackupCandidate(n.Name, n.Address, IsMaster: false));
        var master = status.Nodes
            .Where(n => n.Role == "master" && n.Address.Length > 0 && n.Address == status.Master)
            .Select(n => new BackupCandidate(n.Name, n.Address, IsMaster: true));
        return [.. replicas, .. master];
    }
}
