using System.Security.Cryptography;
using Redoubt.Core;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// Backups on the local platform, end to end with real nodes: a snapshot from a replica, checked and kept; a FLUSHALL
/// undone by a restore (every type, TTLs, a second database, a key name that is not UTF-8); a new resource made from
/// a backup while the original keeps taking writes; retention; a damaged backup refused.
/// </summary>
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    private const string Example = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: example
          namespace: default
        spec:
          replicas: 3
        """;

    [Fact]
    public async Task BackupThenFlushallThenRestoreBringsBackEveryKeyAndItsTimeToLive()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Example);
        await cluster.WaitReadyAsync("example");
        await using var client = await cluster.ConnectAsync("example");
        var written = await BackupDataset.WriteAsync(client);
        await client.GetDatabase().ExecuteAsync("WAIT", 2, 5000);
        await WaitReplicasInSyncAsync(cluster);

        var taken = await cluster.ControlPlane.BackupAsync("default", "example", keep: null, CancellationToken.None);
        output.WriteLine($"backup {taken.Backup.Id}: {taken.Backup.SizeBytes} bytes, {taken.Backup.Keys} keys from {taken.Backup.SourceNode} in {taken.Backup.DurationMs:F0} ms");
        Assert.Equal("replica", taken.Backup.SourceRole);
        Assert.Null(taken.Warning);
        Assert.Equal(written, taken.Backup.Keys);
        Assert.Equal("7", taken.Backup.RedisVersion?[..1]);
        Assert.Equal(taken.Backup.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(taken.Location))));
        Assert.Equal([taken.Backup.Id], (await cluster.ControlPlane.ListBackupsAsync("default", "example", CancellationToken.None)).Select(b => b.Id));

        // The application's mistake: FLUSHALL, which replication copies to every replica at once.
        var keep = new List<ConnectionMultiplexer>();
        var master = (await cluster.ControlPlane.GetAsync("default", "example", CancellationToken.None))!.Status!.Master!;
        await (await cluster.DirectAsync("example", master, keep)).ExecuteAsync("FLUSHALL");
        Assert.Equal(0L, (long)await client.GetDatabase().ExecuteAsync("DBSIZE"));

        var restored = await cluster.ControlPlane.RestoreAsync("default", "example", taken.Backup.Id, CancellationToken.None);
        output.WriteLine($"restored {restored.KeysRestored} of {restored.KeysInBackup} keys in {restored.DurationMs:F0} ms");
        Assert.False(restored.Created);
        Assert.Equal(written, restored.KeysInBackup);
        Assert.Equal(written, restored.KeysRestored);
        await BackupDataset.AssertAsync(client.GetDatabase(), client.GetDatabase(3));

        // The replicas have it too: the restore's writes replicate like any other.
        await client.GetDatabase().ExecuteAsync("WAIT", 2, 5000);
        try
        {
            var status = (await cluster.ControlPlane.GetAsync("default", "example", CancellationToken.None))!.Status!;
            foreach (var replica in status.Nodes.Where(n => n.Role == "replica"))
            {
                var direct = await cluster.DirectAsync("example", replica.Address, keep);
                Assert.Equal("value-199", (string?)await direct.StringGetAsync("string:199"));
            }
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A TLS resource: the keys go back to its master over TLS (the server that loads the backup MIGRATEs them there
    /// trusting the resource's CA only, with one of the resource's certificates), as nothing there answers in clear.
    /// </summary>
    [Fact]
    public async Task ABackupOfATlsResourceIsRestoredIntoItOverTls()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Example.Replace("  replicas: 3", "  replicas: 2\n  tls:\n    enabled: true", StringComparison.Ordinal));
        await cluster.WaitReadyAsync("example");
        await using var client = await cluster.ConnectAsync("example");
        var written = await BackupDataset.WriteAsync(client);
        await client.GetDatabase().ExecuteAsync("WAIT", 1, 5000);

        var taken = await cluster.ControlPlane.BackupAsync("default", "example", keep: null, CancellationToken.None);
        Assert.Equal(written, taken.Backup.Keys);
        var keep = new List<ConnectionMultiplexer>();
        try
        {
            var master = (await cluster.ControlPlane.GetAsync("default", "example", CancellationToken.None))!.Status!.Master!;
            await (await cluster.DirectAsync("example", master, keep)).ExecuteAsync("FLUSHALL");
            Assert.Equal(0L, (long)await client.GetDatabase().ExecuteAsync("DBSIZE"));

            var restored = await cluster.ControlPlane.RestoreAsync("default", "example", taken.Backup.Id, CancellationToken.None);
            output.WriteLine($"restored {restored.KeysRestored} of {restored.KeysInBackup} keys over TLS in {restored.DurationMs:F0} ms");
            Assert.Equal(written, restored.KeysRestored);
            await BackupDataset.AssertAsync(client.GetDatabase(), client.GetDatabase(3));
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task RestoreIntoANewResourceLeavesTheOriginalServingAndKeepsOnlyTheBackupsKeys()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Example);
        await cluster.WaitReadyAsync("example");
        await using var client = await cluster.ConnectAsync("example");
        var written = await BackupDataset.WriteAsync(client);
        await WaitReplicasInSyncAsync(cluster);
        var first = await cluster.ControlPlane.BackupAsync("default", "example", keep: null, CancellationToken.None);

        // Retention: three backups with keep 2 leave the newest two.
        var second = await cluster.ControlPlane.BackupAsync("default", "example", keep: null, CancellationToken.None);
        var third = await cluster.ControlPlane.BackupAsync("default", "example", keep: 2, CancellationToken.None);
        Assert.Equal([first.Backup.Id], third.Pruned);
        Assert.Equal([second.Backup.Id, third.Backup.Id], (await cluster.ControlPlane.ListBackupsAsync("default", "example", CancellationToken.None)).Select(b => b.Id));

        // The original keeps taking writes while the copy is made; none of them may reach the copy.
        using var stop = new CancellationTokenSource();
        var db = client.GetDatabase();
        var after = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                await db.StringSetAsync($"after:{n++}", "x");
            }

            return n;
        });
        var restored = await cluster.ControlPlane.RestoreAsync("default", "copy", $"example/{third.Backup.Id}", CancellationToken.None);
        await stop.CancelAsync();
        var writtenAfter = await after;
        output.WriteLine($"copy restored {restored.KeysRestored} keys in {restored.DurationMs:F0} ms while the original took {writtenAfter} writes");
        Assert.True(restored.Created);
        Assert.True(writtenAfter > 0, "the original took no writes during the restore");
        Assert.Equal(written, restored.KeysRestored);

        await using var copy = await cluster.ConnectAsync("copy");
        await BackupDataset.AssertAsync(copy.GetDatabase(), copy.GetDatabase(3));
        Assert.Equal(written - 1, (long)await copy.GetDatabase().ExecuteAsync("DBSIZE"));
        Assert.Equal("x", (string?)await db.StringGetAsync($"after:{writtenAfter - 1}"));

        // A backup whose file changed after it was taken is refused, and the copy keeps its keys.
        var file = Path.Combine(cluster.Home, "backups", "default", "example", second.Backup.Id + ".rdb");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(file, bytes);
        var refused = await Assert.ThrowsAsync<RedoubtException>(() => cluster.ControlPlane.RestoreAsync("default", "copy", $"example/{second.Backup.Id}", CancellationToken.None));
        Assert.Contains("damaged", refused.Message, StringComparison.Ordinal);
        Assert.Equal("value-0", (string?)await copy.GetDatabase().StringGetAsync("string:0"));
    }

    /// <summary>A backup comes from a replica in sync; the status says so once a pass has seen them.</summary>
    internal static Task WaitReplicasInSyncAsync(LocalCluster cluster, string name = "example") => WaitUntilReplicasInSyncAsync(cluster, name);

    internal static Task<RedisResource> WaitUntilReplicasInSyncAsync(LocalCluster cluster, string name = "example") =>
        cluster.WaitUntilAsync(name, r => r.Status?.Nodes.Count(n => n.Role == "replica" && n.Health == "ok") == 2, "two replicas in sync");
}
