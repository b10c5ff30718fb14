using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Redoubt.Core;
using Redoubt.Core.Access;
using Redoubt.Core.Backup;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Planning;
using Redoubt.Core.Redis;
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
        var directory = Directory(resource.Metadata.Namespace, resource.Metadata.Name);
        var started = time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var taken = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var id = directory.NewId(started, taken);
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            try
            {
                var (size, sha256) = await FetchAsync(directory, id, candidate, tls, own.Admin, cancellationToken).ConfigureAwait(false);
                var check = await RdbCheck.RunAsync(options.RedisCheckRdb, directory.PartialFile(id), cancellationToken).ConfigureAwait(false);
                if (!check.Valid)
                {
                    directory.Discard(id);
                    failures.Add($"{candidate.Node}: the snapshot failed its check ({RdbCheck.Problem(check)})");
                    continue;
                }

                var manifest = new BackupManifest(id, key, started, size, check.Keys, check.Expires, candidate.Node, candidate.IsMaster ? "master" : "replica", sha256, check.RedisVersion, watch.Elapsed.TotalMilliseconds)
                {
                    Spec = resource.Spec,
                };
                string location;
                try
                {
                    location = await store.SaveAsync(manifest, directory.PartialFile(id), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    directory.Discard(id);
                }

                var pruned = keep is { } count ? await store.PruneAsync(count, cancellationToken).ConfigureAwait(false) : [];
                var warning = candidate.IsMaster
                    ? $"no replica could give a snapshot ({string.Join("; ", failures.DefaultIfEmpty("none is in sync"))}): it was forked on the master"
                    : null;
                LogBackedUp(logger, key, id, candidate.Node, size, check.Keys, watch.Elapsed.TotalMilliseconds, store.Location);
                return new BackupResult(manifest, location, warning, pruned);
            }
            catch (Exception e) when (e is RedisAdminException or IOException or System.Net.Sockets.SocketException)
            {
                directory.Discard(id);
                failures.Add($"{candidate.Node}: {e.Message}");
            }
            catch
            {
                // Cancelled, the check could not run, or the destination refused it: what was fetched never counts.
                directory.Discard(id);
                throw;
            }
        }

        throw new RedoubtException($"redis {key}: no backup was taken, no node gave a good snapshot: {string.Join("; ", failures)}");
    }

    private static async Task<(long Size, string Sha256)> FetchAsync(BackupDirectory directory, string id, BackupCandidate candidate, Core.Tls.ServerTrust? tls, string adminPassword, CancellationToken cancellationToken)
    {
        using var hash = SHA256.Create();
        await using var file = directory.CreatePartial(id);
        long size;
        await using (var hashing = new CryptoStream(file, hash, CryptoStreamMode.Write, leaveOpen: true))
        {
            size = await RdbFetch.FetchAsync(candidate.Address, tls, AclUsers.Admin, adminPassword, hashing, cancellationToken).ConfigureAwait(false);
            await hashing.FlushFinalBlockAsync(cancellationToken).ConfigureAwait(false);
        }

        // Durable before it counts: a backup that a crash can take back is no backup.
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        file.Flush(flushToDisk: true);
        return (size, Convert.ToHexStringLower(hash.Hash!));
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
        var snapshot = await store.FetchAsync(backup, Path.Combine(options.Home, "backups", ".downloads"), cancellationToken).ConfigureAwait(false);
        try
        {
            var actual = await ChecksumAsync(snapshot.File, cancellationToken).ConfigureAwait(false);
            if (actual != backup.Sha256)
            {
                throw new RedoubtException($"backup {backup.Id} in {store.Location} is damaged: its checksum is {actual}, its manifest says {backup.Sha256}; nothing was restored");
            }

            LogRestoring(logger, key, backup.Resource, backup.Id, master);
            await using var scratch = await ScratchServer.StartAsync(options.RedisServer, options.Home, snapshot.File, clientCertificate, cancellationToken).ConfigureAwait(false);
            var report = await KeyCopy.CopyAsync(scratch.Socket, master, AclUsers.Admin, own.Admin, replaceAll: true, cancellationToken, tls).ConfigureAwait(false);
            LogRestored(logger, key, backup.Id, report.KeysRestored, report.KeysInBackup, report.DurationMs);
            return report;
        }
        finally
        {
            if (snapshot.Temporary)
            {
                File.Delete(snapshot.File);
            }
        }
    }

    private static async Task<string> ChecksumAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: backup {Id} taken from {Node}: {Bytes} bytes, {Keys} keys, in {Ms:F0} ms, kept in {Location}")]
    private static partial void LogBackedUp(ILogger logger, string resource, string id, string node, long bytes, long keys, double ms, string location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: restoring backup {Source}/{Id} into the master {Master}: its keys are replaced")]
    private static partial void LogRestoring(ILogger logger, string resource, string source, string id, string master);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: backup {Id} restored: {Restored} of {Keys} keys in {Ms:F0} ms")]
    private static partial void LogRestored(ILogger logger, string resource, string id, long restored, long keys, double ms);
}
