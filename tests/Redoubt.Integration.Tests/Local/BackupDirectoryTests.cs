using Redoubt.Core.Backup;
using Redoubt.Platforms.Local.Backups;

namespace Redoubt.Integration.Tests.Local;

/// <summary>The local backup directory's retention, on a real folder: what a backup cut short leaves is cleaned up, once it is old.</summary>
public sealed class BackupDirectoryTests
{
    [Fact]
    public async Task PruningDeletesSnapshotsLeftWithoutAManifestOnceOldAndKeepsEveryBackupAndAnyRecentOne()
    {
        var root = Directory.CreateTempSubdirectory("redoubt-backup-dir-").FullName;
        try
        {
            var directory = new BackupDirectory(root);
            // A whole backup, saved as a backup is: snapshot, then manifest.
            var partial = Path.Combine(root, "snapshot.tmp");
            await File.WriteAllBytesAsync(partial, [1, 2, 3]);
            var manifest = new BackupManifest("20261204T100000Z", "default/cache", DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), 3, 1, 0, "redis-1", "replica", "00", "7.0.15", 1);
            await directory.SaveAsync(manifest, partial, CancellationToken.None);
            // What a control plane stopped mid-backup leaves: a copy not finished, and one renamed but never given its manifest.
            await File.WriteAllBytesAsync(directory.PartialFile("20261204T110000Z"), [4]);
            await File.WriteAllBytesAsync(directory.SnapshotFile("20261204T120000Z"), [5]);
            var leftovers = new[] { directory.PartialFile("20261204T110000Z"), directory.SnapshotFile("20261204T120000Z") };

            // Recent: it could be a backup being written now, so it stays.
            Assert.Empty(directory.Prune(keep: 5));
            Assert.All(leftovers, f => Assert.True(File.Exists(f), $"{f} was deleted while it could still be written"));

            foreach (var file in leftovers)
            {
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow - TimeSpan.FromHours(2));
            }

            // Old: cut short, deleted; the backup with its manifest is kept and is not counted as pruned.
            Assert.Empty(directory.Prune(keep: 5));
            Assert.All(leftovers, f => Assert.False(File.Exists(f), $"{f} was left behind"));
            Assert.True(File.Exists(directory.SnapshotFile(manifest.Id)));
            Assert.Equal([manifest.Id], [.. directory.List().Select(m => m.Id)]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
