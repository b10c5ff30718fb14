using System.Security.Cryptography;
using Redoubt.Core.Access;
using Redoubt.Core.Planning;
using Redoubt.Core.Tls;

namespace Redoubt.Core.Backup;

/// <summary>
/// Restores one backup into a master, the same way on every platform: the snapshot fetched from the store, its
/// checksum checked against the manifest (a damaged backup restores nothing), loaded into a scratch redis-server,
/// and its keys moved into the master, replacing everything there.
/// </summary>
public static class BackupRestorer
{
    /// <param name="scratchRoot">A private folder of the caller's for the scratch server.</param>
    /// <param name="downloads">Where a snapshot that is not a local file already is downloaded (and deleted after).</param>
    /// <param name="clientCertificate">For a TLS master: a certificate the scratch server shows, and the CA it trusts.</param>
    public static async Task<RestoreReport> RestoreAsync(IBackupStore store, BackupManifest backup, string master, string adminPassword, ServerTrust? tls, TlsFiles? clientCertificate,
        string redisServer, string scratchRoot, string downloads, CancellationToken cancellationToken)
    {
        var snapshot = await store.FetchAsync(backup, downloads, cancellationToken).ConfigureAwait(false);
        try
        {
            var actual = await ChecksumAsync(snapshot.File, cancellationToken).ConfigureAwait(false);
            if (actual != backup.Sha256)
            {
                throw new RedoubtException($"backup {backup.Id} in {store.Location} is damaged: its checksum is {actual}, its manifest says {backup.Sha256}; nothing was restored");
            }

            await using var scratch = await ScratchServer.StartAsync(redisServer, scratchRoot, snapshot.File, clientCertificate, cancellationToken).ConfigureAwait(false);
            return await KeyCopy.CopyAsync(scratch.Socket, master, AclUsers.Admin, adminPassword, replaceAll: true, cancellationToken, tls).ConfigureAwait(false);
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
}
