using System.Diagnostics;
using System.Globalization;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Backup;

/// <summary>What a restore did: keys the loaded snapshot held, keys moved into the master, and how long it took.</summary>
public sealed record RestoreReport(long KeysInBackup, long KeysRestored, double DurationMs);

/// <summary>
/// Moves every key of a server that loaded a backup (a scratch server on a Unix socket) into a resource's master, with
/// MIGRATE: the servers talk to each other, the values never pass through Redoubt, and each key arrives with its type,
/// its value and the time it has left to live. The master's replicas get the keys as any write, through replication.
/// </summary>
public static class KeyCopy
{
    /// <summary>Keys per MIGRATE: big enough that round trips do not dominate, small enough to keep the master responsive.</summary>
    public const int Batch = 1000;

    private const int MigrateTimeoutMs = 60_000;

    /// <param name="replaceAll">Empties the master first (FLUSHALL), so that afterwards it holds the backup's keys and only them.</param>
    /// <param name="tls">For a TLS master, the CA to trust; the scratch server must then speak TLS to it too (its MIGRATE).</param>
    public static async Task<RestoreReport> CopyAsync(string scratchSocket, string masterAddress, string user, string password, bool replaceAll, CancellationToken cancellationToken, Tls.ServerTrust? tls = null)
    {
        var started = Stopwatch.GetTimestamp();
        var (host, port) = Endpoints.Parse(masterAddress);
        await using var scratch = await RespConnection.ConnectUnixAsync(scratchSocket, cancellationToken).ConfigureAwait(false);
        await using var master = await RespConnection.ConnectAsync(host, port, tls, cancellationToken).ConfigureAwait(false);
        await ExpectOkAsync(master, masterAddress, ["AUTH", user, password], cancellationToken).ConfigureAwait(false);
        var role = await ExpectOkAsync(master, masterAddress, ["ROLE"], cancellationToken).ConfigureAwait(false);
        if (role.Array is not [{ Text: "master" }, ..])
        {
            throw new RedoubtException($"{masterAddress} is no longer the master (a failover ran): nothing was restored; try again");
        }

        var databases = Keyspace((await ExpectOkAsync(scratch, "the backup's scratch server", ["INFO", "keyspace"], cancellationToken).ConfigureAwait(false)).Text ?? "");
        if (replaceAll)
        {
            // ASYNC: the keys are gone at once and their memory is freed in the background. A synchronous FLUSHALL of a
            // 1 GiB dataset blocked the master for about a second, long enough for the Sentinels to fail it over.
            await ExpectOkAsync(master, masterAddress, ["FLUSHALL", "ASYNC"], cancellationToken).ConfigureAwait(false);
        }

        long restored = 0;
        foreach (var (database, _) in databases)
        {
            await ExpectOkAsync(scratch, "the backup's scratch server", ["SELECT", database], cancellationToken).ConfigureAwait(false);
            var cursor = "0";
            do
            {
                var page = await ExpectOkAsync(scratch, "the backup's scratch server", ["SCAN", cursor, "COUNT", Batch], cancellationToken).ConfigureAwait(false);
                cursor = page.Array[0].Text ?? "0";
                var keys = page.Array[1].Array.Select(k => (object)(k.Text ?? "")).ToArray();
                if (keys.Length > 0)
                {
                    object[] migrate = ["MIGRATE", host, port, "", database, MigrateTimeoutMs, "COPY", "REPLACE", "AUTH2", user, password, "KEYS", .. keys];
                    var reply = await ExpectOkAsync(scratch, $"MIGRATE to {masterAddress}", migrate, cancellationToken).ConfigureAwait(false);
                    // NOKEY: every key of the page expired between the SCAN and the MIGRATE.
                    restored += reply.Text == "NOKEY" ? 0 : keys.Length;
                }
            }
            while (cursor != "0");
        }

        return new RestoreReport(databases.Sum(d => d.Keys), restored, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Whether the server on <paramref name="socket"/> answers and has finished loading its snapshot (no LOADING error).</summary>
    public static async Task<bool> LoadedAsync(string socket, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await RespConnection.ConnectUnixAsync(socket, cancellationToken).ConfigureAwait(false);
            var reply = (await connection.PipelineAsync([["PING"]], cancellationToken).ConfigureAwait(false))[0];
            return reply is RespValue { Text: "PONG" };
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or NodeUnreachableException)
        {
            // Not listening yet.
            return false;
        }
    }

    /// <summary>The databases INFO keyspace lists ("db0:keys=3,expires=1,avg_ttl=0"), with their key counts.</summary>
    public static IReadOnlyList<(int Database, long Keys)> Keyspace(string info) =>
        [.. info.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("db", StringComparison.Ordinal) && line.Contains(":keys=", StringComparison.Ordinal))
            .Select(line =>
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var keys = line[(colon + ":keys=".Length)..].Split(',')[0];
                return (int.Parse(line[2..colon], CultureInfo.InvariantCulture), long.Parse(keys, CultureInfo.InvariantCulture));
            })];

    private static async Task<RespValue> ExpectOkAsync(RespConnection connection, string who, object[] command, CancellationToken cancellationToken)
    {
        var reply = (await connection.PipelineAsync([command], cancellationToken).ConfigureAwait(false))[0];
        return reply switch
        {
            RedisReplyException error => throw new RedoubtException($"{who} refused {command[0]}: {error.Message}"),
            RespValue value => value,
            _ => throw new RedoubtException($"{who} sent an unexpected reply to {command[0]}"),
        };
    }
}
