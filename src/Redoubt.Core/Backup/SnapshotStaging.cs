using System.Globalization;

namespace Redoubt.Core.Backup;

/// <summary>
/// A private folder where a snapshot is fetched and checked before it may become a backup: <c>ID.rdb.partial</c>,
/// 0600 in a 0700 folder. Whatever the destination, only a snapshot that passed its checks leaves it.
/// </summary>
public sealed class SnapshotStaging(string root)
{
    public const string PartialSuffix = ".partial";

    public string Root { get; } = root;

    /// <summary>A new backup's id: the UTC second it starts, with a suffix when that second is taken (in <paramref name="taken"/> or here).</summary>
    public string NewId(DateTimeOffset now, IReadOnlySet<string> taken)
    {
        var id = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var candidate = id;
        for (var n = 2; taken.Contains(candidate) || File.Exists(PartialFile(candidate)); n++)
        {
            candidate = $"{id}-{n.ToString(CultureInfo.InvariantCulture)}";
        }

        return candidate;
    }

    public string PartialFile(string id) => Path.Combine(Root, id + BackupStores.SnapshotSuffix + PartialSuffix);

    public FileStream CreatePartial(string id)
    {
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new FileStream(PartialFile(id), new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            BufferSize = 1 << 20,
        });
    }

    public void Discard(string id) => File.Delete(PartialFile(id));
}
