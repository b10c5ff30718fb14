using Redoubt.Core.Backup;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Backups;
using Redoubt.Platforms.Local;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// What the operator's backup and restore Jobs run on Kubernetes (`redoubt backup-job`), run here as the real command
/// against real Redis nodes with TLS and a real S3-compatible bucket (s3rver): the task in its environment, the
/// admin password, CA, a node's certificate and the bucket's credentials as files where the Job mounts them, the
/// outcome in the termination message. A backup from a replica, a FLUSHALL undone by a restore, and failures that say
/// why. The Job objects themselves are the operator's (unit-tested) and run on real pods in the pods bench.
/// </summary>
public sealed class BackupJobTests(ITestOutputHelper output)
{
    private const string Bucket = "k8s-backups";

    [Fact]
    public async Task TheJobsCommandBacksUpFromAReplicaAndRestoresAFlushallOverTls()
    {
        await using var s3 = await S3Server.StartAsync(Bucket);
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync("""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: vault
            spec:
              replicas: 3
              tls:
                enabled: true
            """);
        await cluster.WaitReadyAsync("vault");
        await using var client = await cluster.ConnectAsync("vault");
        var written = await BackupDataset.WriteAsync(client);
        var status = (await BackupRestoreTests.WaitUntilReplicasInSyncAsync(cluster, "vault")).Status!;

        // The Job's volumes, as the operator mounts them.
        var mounts = Directory.CreateTempSubdirectory("redoubt-job-").FullName;
        Mount(mounts, BackupJobPaths.AdminPassword, cluster.AdminPassword("vault"));
        Mount(mounts, BackupJobPaths.Authority, await File.ReadAllTextAsync(cluster.AuthorityFile("vault")));
        Mount(mounts, BackupJobPaths.Credentials, await File.ReadAllTextAsync(s3.CredentialsFile));
        var masterNode = status.Nodes.Single(n => n.Address == status.Master).Name;
        var certificate = LocalCertificates.Stored(new ResourceFolder(cluster.Home, "default", "vault"), masterNode)!;
        Mount(mounts, BackupJobPaths.Certificate, await File.ReadAllTextAsync(certificate.CertificateFile!));
        Mount(mounts, BackupJobPaths.Key, await File.ReadAllTextAsync(certificate.KeyFile!));
        var destination = new S3Destination { Endpoint = s3.Endpoint, Bucket = Bucket, CredentialsSecret = "bucket-credentials" };
        using var cli = new RedoubtCli();

        var backup = new BackupTask
        {
            Action = BackupTask.Take,
            Resource = "default/vault",
            Destination = destination,
            Catalogue = "default/vault",
            Candidates = BackupSource.Candidates(status),
            Keep = 2,
            Tls = true,
        };
        var (exit, taken) = await RunAsync(cli, mounts, backup);
        Assert.Equal(0, exit);
        Assert.True(taken.Succeeded, taken.Error);
        Assert.Equal(written, taken.Keys);
        Assert.Equal(1, taken.Kept);
        Assert.Null(taken.Warning);
        Assert.Contains(status.Nodes, n => n.Name == taken.SourceNode && n.Role == "replica");
        Assert.Equal([$"default/vault/{taken.Id}.json", $"default/vault/{taken.Id}.rdb"], s3.Keys("default/vault/"));
        Assert.Empty(Directory.GetFiles(Path.Combine(mounts, BackupJobPaths.Work.TrimStart('/'))));

        var keep = new List<StackExchange.Redis.ConnectionMultiplexer>();
        try
        {
            await (await cluster.DirectAsync("vault", status.Master!, keep)).ExecuteAsync("FLUSHALL");
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }

        Assert.Equal(0L, (long)await client.GetDatabase().ExecuteAsync("DBSIZE"));
        var restore = new BackupTask
        {
            Action = BackupTask.Restore,
            Resource = "default/vault",
            Destination = destination,
            Catalogue = "default/vault",
            Backup = taken.Id,
            Master = status.Master,
            Tls = true,
        };
        var (restoreExit, restored) = await RunAsync(cli, mounts, restore);
        Assert.Equal(0, restoreExit);
        Assert.True(restored.Succeeded, restored.Error);
        Assert.Equal(written, restored.KeysRestored);
        await BackupDataset.AssertAsync(client.GetDatabase(), client.GetDatabase(3));

        // A backup that is not in the bucket: exit 1 and a reason the status can show, nothing restored.
        var (missingExit, missing) = await RunAsync(cli, mounts, restore with { Backup = "20200101T000000Z" });
        Assert.Equal(1, missingExit);
        Assert.False(missing.Succeeded);
        Assert.Contains("no backup 20200101T000000Z", missing.Error, StringComparison.Ordinal);

        // No node answers: the backup fails naming each node it tried, and nothing reaches the bucket.
        var (downExit, down) = await RunAsync(cli, mounts, backup with { Candidates = [new BackupCandidate("gone", "127.0.0.1:1", IsMaster: true)] });
        Assert.Equal(1, downExit);
        Assert.Contains("gone:", down.Error, StringComparison.Ordinal);
        Assert.Equal(2, s3.Keys("default/vault/").Count);

        // Run without a task (not by a Job): a clear refusal.
        var (bare, _, error) = await cli.RunAsync("backup-job");
        Assert.Equal(2, bare);
        Assert.Contains(BackupTask.EnvironmentVariable, error, StringComparison.Ordinal);
    }

    private async Task<(int Exit, BackupJobResult Result)> RunAsync(RedoubtCli cli, string mounts, BackupTask task)
    {
        var log = Path.Combine(mounts, "termination-log");
        File.Delete(log);
        var (exit, stdout, stderr) = await cli.RunAsync(["backup-job", "--termination-log", log, "--mount-root", mounts],
            new Dictionary<string, string> { [BackupTask.EnvironmentVariable] = task.ToJson() });
        output.WriteLine($"backup-job {task.Action} exit {exit}: {stdout}{stderr}");
        var message = await File.ReadAllTextAsync(log);
        Assert.True(message.Length <= BackupJobResult.MaxMessageBytes, $"termination message of {message.Length} bytes");
        return (exit, BackupJobResult.Read(message) ?? throw new Xunit.Sdk.XunitException($"not a result: {message}"));
    }

    private static void Mount(string root, string path, string content)
    {
        var file = Path.Combine(root, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
    }
}
