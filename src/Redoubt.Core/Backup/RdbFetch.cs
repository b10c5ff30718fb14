using Redoubt.Core.Platform;
using Redoubt.Core.Redis;
using Redoubt.Core.Tls;

namespace Redoubt.Core.Backup;

/// <summary>
/// Takes a node's snapshot over the replication protocol, the way redis-cli --rdb does: SYNC asks the node to fork a
/// snapshot for a new replica and stream it; the node's own data never leaves its disk for a copy, and a replica's
/// fork leaves the master's latency alone. Works wherever the node is reachable, on any platform.
/// </summary>
public static class RdbFetch
{
    /// <summary>Streams the snapshot into <paramref name="destination"/>; returns its length in bytes.</summary>
    public static async Task<long> FetchAsync(string address, ServerTrust? tls, string user, string password, Stream destination, CancellationToken cancellationToken)
    {
        var (host, port) = Endpoints.Parse(address);
        await using var connection = await RespConnection.ConnectAsync(host, port, tls, cancellationToken).ConfigureAwait(false);
        // rdb-only (Redis 7): the node sends the snapshot and no command stream after it. An older Redis refuses the
        // option, which is harmless: the connection is closed once the snapshot is in.
        var replies = await connection.PipelineAsync([["AUTH", user, password], ["REPLCONF", "rdb-only", "1"]], cancellationToken).ConfigureAwait(false);
        if (replies[0] is RedisReplyException refused)
        {
            throw new RedisReplyException($"{address} refused Redoubt's admin user: {refused.Message}");
        }

        // Without "REPLCONF capa eof" the node writes the snapshot to its disk first and sends it with its length: no
        // wait for the diskless delay, and a length to check the transfer against.
        await connection.SendAsync(["SYNC"], cancellationToken).ConfigureAwait(false);
        try
        {
            return await connection.CopyBulkPayloadAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisReplyException e)
        {
            // NOMASTERLINK: a replica that lost its master gives no snapshot; the caller tries the next node.
            throw new RedisReplyException($"{address} gave no snapshot: {e.Message}", e);
        }
    }
}
