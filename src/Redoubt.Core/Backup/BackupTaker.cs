using System.Diagnostics;
using System.Security.Cryptography;
using Redoubt.Core.Access;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Redis;
using Redoubt.Core.Tls;
using Redoubt.Model;

namespace Redoubt.Core.Backup;

/// <summary>What a backup needs, on any platform: the nodes to try in order, how to reach them, and the spec it records.</summary>
/// <param name="Resource">namespace/name, for the manifest and messages.</param>
/// <param name="Keep">Keep only the newest this many backups afterwards; null keeps every one.</param>
public sealed record BackupRequest(string Resource, RedisSpec? Spec, IReadOnlyList<BackupCandidate> Candidates, ServerTrust? Tls, string AdminPassword, int? Keep);

/// <summary>
/// Takes one backup, the same way on every platform: a snapshot fetched over the replication protocol from the first
/// candidate that gives a good one (in-sync replicas first, the master last), checked by redis-check-rdb and its
/// checksum in a staging folder, then saved to the store with its manifest, and retention applied. A snapshot that
/// fails a check, or a save cut short, never counts and never replaces a good backup.
/// </summary>
public static class BackupTaker
{
    public static async Task<BackupResult> TakeAsync(BackupRequest request, IBackupStore store, SnapshotStaging staging, string redisCheckRdb, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Candidates.Count == 0)
        {
            throw new RedoubtException($"redis {request.Resource} has no node to take a backup from: no replica is in sync and no master is known");
        }

        var started = time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var taken = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var id = staging.NewId(started, taken);
        var failures = new List<string>();
        foreach (var candidate in request.Candidates)
        {
            try
            {
                var (size, sha256) = await FetchAsync(staging, id, candidate, request.Tls, request.AdminPassword, cancellationToken).ConfigureAwait(false);
                var check = await RdbCheck.RunAsync(redisCheckRdb, staging.PartialFile(id), cancellationToken).ConfigureAwait(false);
                if (!check.Valid)
                {
                    staging.Discard(id);
                    failures.Add($"{candidate.Node}: the snapshot failed its check ({RdbCheck.Problem(check)})");
                    continue;
                }

                var manifest = new BackupManifest(id, request.Resource, started, size, check.Keys, check.Expires, candidate.Node, candidate.IsMaster ? "master" : "replica", sha256, check.RedisVersion, watch.Elapsed.TotalMilliseconds)
                {
                    Spec = request.Spec,
                };
                string location;
                try
                {
                    location = await store.SaveAsync(manifest, staging.PartialFile(id), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    staging.Discard(id);
                }

                var pruned = request.Keep is { } count ? await store.PruneAsync(count, cancellationToken).ConfigureAwait(false) : [];
                var warning = candidate.IsMaster
                    ? $"no replica could give a snapshot ({string.Join("; ", failures.DefaultIfEmpty("none is in sync"))}): it was forked on the master"
                    : null;
                return new BackupResult(manifest, location, warning, pruned);
            }
            catch (Exception e) when (e is RedisAdminException or IOException or System.Net.Sockets.SocketException)
            {
                staging.Discard(id);
                failures.Add($"{candidate.Node}: {e.Message}");
            }
            catch
            {
                // Cancelled, the check could not run, or the destination refused it: what was fetched never counts.
                staging.Discard(id);
                throw;
            }
        }

        throw new RedoubtException($"redis {request.Resource}: no backup was taken, no node gave a good snapshot: {string.Join("; ", failures)}");
    }

    private static async Task<(long Size, string Sha256)> FetchAsync(SnapshotStaging staging, string id, BackupCandidate candidate, ServerTrust? tls, string adminPassword, CancellationToken cancellationToken)
    {
        using var hash = SHA256.Create();
        await using var file = staging.CreatePartial(id);
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
}
