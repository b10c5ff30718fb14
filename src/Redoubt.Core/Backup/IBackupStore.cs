using System.Text.Json;

namespace Redoubt.Core.Backup;

/// <summary>
/// Where a resource's backups are kept: a directory, or an S3-compatible bucket. A backup is its snapshot and its
/// manifest, the manifest saved last: a backup whose manifest is missing (a save cut short) is not listed, so a failed
/// save never replaces or hides a good backup.
/// </summary>
public interface IBackupStore : IDisposable
{
    /// <summary>Where the backups are, for people: a directory, or s3://bucket/prefix/namespace/name/.</summary>
    string Location { get; }

    /// <summary>Every good backup, oldest first.</summary>
    Task<IReadOnlyList<BackupManifest>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Keeps a verified snapshot file as the backup <paramref name="manifest"/> describes; returns where the snapshot now is.</summary>
    Task<string> SaveAsync(BackupManifest manifest, string snapshotFile, CancellationToken cancellationToken);

    /// <summary>A file on this machine with the backup's snapshot (downloaded into <paramref name="scratchDirectory"/> when it is not one already).</summary>
    Task<FetchedSnapshot> FetchAsync(BackupManifest manifest, string scratchDirectory, CancellationToken cancellationToken);

    /// <summary>Deletes all but the newest <paramref name="keep"/> backups; returns the ids it deleted.</summary>
    Task<IReadOnlyList<string>> PruneAsync(int keep, CancellationToken cancellationToken);
}

/// <summary>A backup's snapshot as a local file; <see cref="Temporary"/>: a download, which the caller deletes when done.</summary>
public sealed record FetchedSnapshot(string File, bool Temporary);

public static class BackupStores
{
    /// <summary>How manifests are written and read, wherever they are kept.</summary>
    public static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public const string SnapshotSuffix = ".rdb";
    public const string ManifestSuffix = ".json";

    /// <summary>
    /// How old a snapshot without its manifest must be before retention deletes it: a backup cut short (stopped
    /// between the snapshot and its manifest), never one still being written or uploaded.
    /// </summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromHours(1);

    /// <summary>The name of a snapshot's manifest beside it (a file or an object key), or null when it names no snapshot.</summary>
    public static string? ManifestOf(string snapshot) =>
        snapshot.EndsWith(SnapshotSuffix, StringComparison.Ordinal) ? snapshot[..^SnapshotSuffix.Length] + ManifestSuffix : null;

    /// <summary>Finds one backup by id, or says where it looked.</summary>
    public static async Task<BackupManifest> FindAsync(this IBackupStore store, string id, CancellationToken cancellationToken) =>
        (await store.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(m => m.Id == id)
        ?? throw new RedoubtException($"no backup {id} in {store.Location}: list them with `redoubt backups`");

    /// <summary>Oldest first, as every store lists them.</summary>
    public static IReadOnlyList<BackupManifest> InOrder(IEnumerable<BackupManifest> manifests) =>
        [.. manifests.OrderBy(m => m.Time).ThenBy(m => m.Id, StringComparer.Ordinal)];
}
