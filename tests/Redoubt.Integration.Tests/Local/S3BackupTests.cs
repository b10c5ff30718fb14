using Redoubt.Core;
using Redoubt.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// Backups in an S3-compatible bucket (spec.backup.s3), against a real one (s3rver) on a loopback port: the snapshot
/// is checked on this machine, then uploaded with its manifest last; a FLUSHALL is undone from the bucket; retention
/// deletes the oldest objects; a new resource is made from a backup in the bucket; a bucket out of reach fails the
/// backup with its address and keeps nothing half-made.
/// </summary>
public sealed class S3BackupTests(ITestOutputHelper output)
{
    private const string Bucket = "redoubt-backups";
    private const string Prefix = "team-a/";

    [Fact]
    public async Task BackupsGoToTheBucketAndComeBackFromItIntoTheSameAndANewResource()
    {
        await using var s3 = await S3Server.StartAsync(Bucket);
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync($"""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: vault
            spec:
              replicas: 3
              backup:
                s3:
                  endpoint: {s3.Endpoint}
                  bucket: {Bucket}
                  prefix: {Prefix}
                  credentialsFile: {s3.CredentialsFile}
            """);
        await cluster.WaitReadyAsync("vault");
        await using var client = await cluster.ConnectAsync("vault");
        var written = await BackupDataset.WriteAsync(client);
        await BackupRestoreTests.WaitReplicasInSyncAsync(cluster, "vault");

        var first = await cluster.ControlPlane.BackupAsync("default", "vault", keep: null, CancellationToken.None);
        output.WriteLine($"backup {first.Backup.Id} at {first.Location}: {first.Backup.SizeBytes} bytes, {first.Backup.Keys} keys in {first.Backup.DurationMs:F0} ms");
        Assert.Equal($"s3://{Bucket}/{Prefix}default/vault/{first.Backup.Id}.rdb", first.Location);
        Assert.Equal(written, first.Backup.Keys);
        var objects = $"{Prefix}default/vault/";
        Assert.Equal([$"{objects}{first.Backup.Id}.json", $"{objects}{first.Backup.Id}.rdb"], s3.Keys(objects));
        var staging = Path.Combine(cluster.Home, "backups", "default", "vault");
        Assert.Empty(Directory.Exists(staging) ? Directory.GetFiles(staging) : []);
        Assert.Equal([first.Backup.Id], (await cluster.ControlPlane.ListBackupsAsync("default", "vault", CancellationToken.None)).Select(b => b.Id));
        var status = (await cluster.WaitUntilAsync("vault", r => r.Status?.Backup?.Last == first.Backup.Id, "the status shows the backup")).Status!.Backup!;
        Assert.Equal($"s3://{Bucket}/{Prefix}default/vault/ at {s3.Endpoint}", status.Location);

        // FLUSHALL (as an administrator: the application may not), then the backup from the bucket.
        var keep = new List<StackExchange.Redis.ConnectionMultiplexer>();
        try
        {
            var master = (await cluster.ControlPlane.GetAsync("default", "vault", CancellationToken.None))!.Status!.Master!;
            await (await cluster.DirectAsync("vault", master, keep)).ExecuteAsync("FLUSHALL");
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }

        Assert.Equal(0L, (long)await client.GetDatabase().ExecuteAsync("DBSIZE"));
        var restored = await cluster.ControlPlane.RestoreAsync("default", "vault", first.Backup.Id, CancellationToken.None);
        Assert.Equal(written, restored.KeysRestored);
        await BackupDataset.AssertAsync(client.GetDatabase(), client.GetDatabase(3));
        Assert.Empty(Directory.GetFiles(Path.Combine(cluster.Home, "backups", ".downloads")));

        // Retention in the bucket: keeping one deletes the first backup's objects.
        var second = await cluster.ControlPlane.BackupAsync("default", "vault", keep: 1, CancellationToken.None);
        Assert.Equal([first.Backup.Id], second.Pruned);
        Assert.Equal([$"{objects}{second.Backup.Id}.json", $"{objects}{second.Backup.Id}.rdb"], s3.Keys(objects));

        // A new resource from the bucket, with the spec the backup was taken with.
        var copy = await cluster.ControlPlane.RestoreAsync("default", "vault-copy", $"vault/{second.Backup.Id}", CancellationToken.None);
        Assert.True(copy.Created);
        Assert.Equal(written, copy.KeysRestored);
        await using (var copied = await cluster.ConnectAsync("vault-copy"))
        {
            await BackupDataset.AssertAsync(copied.GetDatabase(), copied.GetDatabase(3));
        }

        // The bucket out of reach: the backup fails naming it, and leaves nothing behind on this machine.
        await s3.StopAsync();
        var failed = await Assert.ThrowsAsync<RedoubtException>(() => cluster.ControlPlane.BackupAsync("default", "vault", keep: null, CancellationToken.None));
        output.WriteLine(failed.Message);
        Assert.Contains($"s3://{Bucket}/{Prefix}default/vault/", failed.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(staging));
    }
}
