using Microsoft.Extensions.Logging;
using Redoubt.Core;
using Redoubt.Core.Backup;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Planning;
using Redoubt.Model;

namespace Redoubt.Platforms.Local.Backups;

/// <summary>
/// Backups and restores on the local platform. A backup is a snapshot fetched from an in-sync replica (the master
/// only when none can give one), checked by redis-check-rdb and its checksum, then kept in the resource's backup
/// directory. A restore loads a backup into a scratch server and moves its keys into the master.
/// </summary>
internal sealed partial class LocalBackups(LocalOptions options, LocalPlatform platform, ILogger logger, TimeProvider time)
{
    /// <summary>The resource's backup directory under the home: where backups are kept without an S3 destination, and where every snapshot is staged and checked.</summary>
    public BackupDirectory Directory(string @namespace, string name) => BackupDirectory.Default(options.Home, @namespace, name);

    /// <summary>Where the backups of namespace/name are kept, as <paramref name="spec"/> says (null: the directory under the home).</summary>
    public IBackupStore StoreFor(string @namespace, string name, RedisSpec? spec) =>
        spec?.Backup?.S3 is { } s3 ? new S3BackupStore(s3, @namespace, name) : Directory(@namespace, name);

    /// <summary><see cref="StoreFor"/>'s location, without connecting to anything.</summary>
    public string LocationOf(string @namespace, string name, RedisSpec? spec) =>
        spec?.Backup?.S3 is { } s3 ? S3BackupStore.LocationOf(s3, @namespace, name) : Directory(@namespace, name).Root;

    /// <param name="keep">Keep only the newest this many backups afterwards; null keeps every one.</param>
    public async Task<BackupResult> TakeAsync(RedisResource resource, int? keep, CancellationToken cancellationToken)
    {
        var key = resource.Key;
        var plan = Planner.Plan(resource, defaults: PlatformDefaults.Local);
        var own = (await platform.EnsureSecretsAsync(plan, cancellationToken).ConfigureAwait(false)).Redoubt
            ?? throw new RedoubtException($"redis {key} has no admin user yet; try again once it is Ready");
        var tls = await platform.EnsureTlsAsync(plan, cancellationToken).ConfigureAwait(false);
        var candidates = BackupSource.Candidates(resource.Status);
        if (candidates.Count == 0)
        {
            throw new RedoubtException($"redis {key} has no node to take a backup from: no replica is in sync and no master is known (see `redoubt describe {resource.Metadata.Name}`)");
        }

        using var store = StoreFor(resource.Metadata.Namespace, resource.Metadata.Name, resource.Spec);
        // Staged and checked in the directory under the home whatever the destination: only a good snapshot leaves it.
        var staging = Directory(resource.Metadata.Namespace, resource.Metadata.Name).Staging;
        var result = await BackupTaker.TakeAsync(new BackupRequest(key, resource.Spec, candidates, tls, own.Admin, keep), store, staging, options.RedisCheckRdb, time, cancellationToken).ConfigureAwait(false);
        var manifest = result.Backup;
        LogBackedUp(logger, key, manifest.Id, manifest.SourceNode, manifest.SizeBytes, manifest.Keys, manifest.DurationMs, store.Location);
        return result;
    }

    /// <summary>Replaces everything in <paramref name="target"/>'s master with the keys of <paramref name="backup"/>.</summary>
    public async Task<RestoreReport> RestoreAsync(RedisResource target, IBackupStore store, BackupManifest backup, CancellationToken cancellationToken)
    {
        var key = target.Key;
        var plan = Planner.Plan(target, defaults: PlatformDefaults.Local);
        var master = target.Status?.Master ?? throw new RedoubtException($"redis {key} has no master right now; restore once it is Ready");
        var tls = await platform.EnsureTlsAsync(plan, cancellationToken).ConfigureAwait(false);
        // The scratch server shows the master's own certificate when it connects (any of the resource's would do).
        var clientCertificate = tls is null ? null
            : target.Status.Nodes.FirstOrDefault(n => n.Address == master)?.Name is { } masterNode && LocalCertificates.Stored(platform.Folder(target.Metadata.Namespace, target.Metadata.Name), masterNode) is { } files
                ? files
                : throw new RedoubtException($"redis {key}: the master's certificate is not in its folder yet; restore once it is Ready");
        var own = (await platform.EnsureSecretsAsync(plan, cancellationToken).ConfigureAwait(false)).Redoubt
            ?? throw new RedoubtException($"redis {key} has no admin user yet; try again once it is Ready");
        LogRestoring(logger, key, backup.Resource, backup.Id, master);
        var report = await BackupRestorer.RestoreAsync(store, backup, master, own.Admin, tls, clientCertificate, options.RedisServer, Path.Combine(options.Home, "tmp"), Path.Combine(options.Home, "backups", ".downloads"), cancellationToken).ConfigureAwait(false);
        LogRestored(logger, key, backup.Id, report.KeysRestored, report.KeysInBackup, report.DurationMs);
        return report;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: backup {Id} taken from {Node}: {Bytes} bytes, {Keys} keys, in {Ms:F0} ms, kept in {Location}")]
    private static partial void LogBackedUp(ILogger logger, string resource, string id, string node, long bytes, long keys, double ms, string location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: restoring backup {Source}/{Id} into the master {Master}: its keys are replaced")]
    private static partial void LogRestoring(ILogger logger, string resource, string source, string id, string master);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: backup {Id} restored: {Restored} of {Keys} keys in {Ms:F0} ms")]
    private static partial void LogRestored(ILogger logger, string resource, string id, long restored, long keys, double ms);
}
