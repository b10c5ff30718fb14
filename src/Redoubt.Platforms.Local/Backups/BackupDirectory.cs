using System.Text.Json;
using Redoubt.Core.Backup;

namespace Redoubt.Platforms.Local.Backups;

/// <summary>
/// The backups of one resource in a directory: <c>ID.rdb</c> and its manifest <c>ID.json</c>, both 0600 in a 0700
/// folder. A snapshot is written as <c>ID.rdb.partial</c>, checked, renamed, and only then given its manifest, so a
/// failed or cut-short backup never counts and never replaces a good one. Retention keeps the newest N good ones.
/// </summary>
internal sealed class BackupDirectory(string root) : IBackupStore
{
    public string Root { get; } = root;

    public string Location => Root;

    /// <summary>The default place: under the home, one folder per namespace and resource.</summary>
    public static BackupDirectory Default(string home, string @namespace, string name) => new(Path.Combine(home, "backups", @namespace, name));

    /// <summary>Where a snapshot is fetched and checked before it becomes a backup here or is uploaded: this folder, so that keeping it here is a rename.</summary>
    public SnapshotStaging Staging => new(Root);

    public string SnapshotFile(string id) => Path.Combine(Root, id + BackupStores.SnapshotSuffix);

    public string PartialFile(string id) => Staging.PartialFile(id);

    public string ManifestFile(string id) => Path.Combine(Root, id + BackupStores.ManifestSuffix);

    /// <summary>Makes a verified snapshot a backup: the snapshot under its final name, then its manifest.</summary>
    public Task<string> SaveAsync(BackupManifest manifest, string snapshotFile, CancellationToken cancellationToken)
    {
        File.Move(snapshotFile, SnapshotFile(manifest.Id), overwrite: false);
        AtomicFile.Write(ManifestFile(manifest.Id), JsonSerializer.Serialize(manifest, BackupStores.ManifestJson));
        return Task.FromResult(SnapshotFile(manifest.Id));
    }

    public Task<IReadOnlyList<BackupManifest>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(List());

    /// <summary>The snapshot itself: it is on this machine already.</summary>
    public Task<FetchedSnapshot> FetchAsync(BackupManifest manifest, string scratchDirectory, CancellationToken cancellationToken) =>
        Task.FromResult(new FetchedSnapshot(SnapshotFile(manifest.Id), Temporary: false));

    public Task<IReadOnlyList<string>> PruneAsync(int keep, CancellationToken cancellationToken) => Task.FromResult(Prune(keep));

    public void Dispose()
    {
        // Nothing held open.
    }

    /// <summary>Every good backup, oldest first. A manifest that cannot be read, or whose snapshot is gone, is left out.</summary>
    public IReadOnlyList<BackupManifest> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var manifests = new List<BackupManifest>();
        foreach (var file in Directory.EnumerateFiles(Root, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(file), BackupStores.ManifestJson) is { } manifest && File.Exists(SnapshotFile(manifest.Id)))
                {
                    manifests.Add(manifest);
                }
            }
            catch (JsonException)
            {
                // Not one of ours, or damaged: not a backup.
            }
        }

        return BackupStores.InOrder(manifests);
    }

    /// <summary>How old a snapshot without its manifest, or a partial one (a copy cut short), must be before <see cref="Prune"/> deletes it.</summary>
    public TimeSpan OrphanAge { get; init; } = BackupStores.OrphanAge;

    /// <summary>Deletes all but the newest <paramref name="keep"/> backups; returns the ids it deleted.</summary>
    public IReadOnlyList<string> Prune(int keep)
    {
        // A snapshot alone is never listed: without this, a backup cut short would stay on the disk forever.
        if (Directory.Exists(Root))
        {
            var before = DateTime.UtcNow - OrphanAge;
            foreach (var file in Directory.EnumerateFiles(Root))
            {
                var orphan = file.EndsWith(BackupStores.SnapshotSuffix + SnapshotStaging.PartialSuffix, StringComparison.Ordinal)
                    || (BackupStores.ManifestOf(file) is { } manifest && !File.Exists(manifest));
                if (orphan && File.GetLastWriteTimeUtc(file) <= before)
                {
                    File.Delete(file);
                }
            }
        }

        var all = List();
        var old = all.Take(Math.Max(0, all.Count - keep)).ToList();
        foreach (var manifest in old)
        {
            // Manifest first: a backup half-deleted is no longer listed.
            File.Delete(ManifestFile(manifest.Id));
            File.Delete(SnapshotFile(manifest.Id));
        }

        return [.. old.Select(m => m.Id)];
    }
}
