using Redoubt.Core;
using Redoubt.Core.Backup;
using Redoubt.Core.Planning;
using Redoubt.Core.Tls;

namespace Redoubt.Platforms.Kubernetes.Backups;

/// <summary>
/// Runs one <see cref="BackupTask"/> inside its Job's pod (<c>redoubt backup-job</c>): the same backup and restore as
/// the local platform's (<see cref="BackupTaker"/>, <see cref="BackupRestorer"/>), with the resource's own
/// redis-server (and redis-check-rdb, a link to it) that the Job's init container copied from its Redis image, into
/// and out of the bucket. Reports through the termination message.
/// </summary>
public sealed class BackupJobRunner(TextWriter log, TimeProvider time)
{
    /// <summary>Where the binaries are: in a Job, <see cref="BackupJobPaths.Binaries"/> (<c>--redis-bin</c>); by default, on PATH.</summary>
    public string RedisCheckRdb { get; init; } = "redis-check-rdb";
    public string RedisServer { get; init; } = "redis-server";

    /// <summary>The folder behind <see cref="BackupJobPaths"/>; "/" in a pod, a test folder in tests.</summary>
    public string MountRoot { get; init; } = "/";

    public async Task<BackupJobResult> RunAsync(BackupTask task, CancellationToken cancellationToken)
    {
        try
        {
            var password = (await File.ReadAllTextAsync(Mounted(BackupJobPaths.AdminPassword), cancellationToken).ConfigureAwait(false)).Trim();
            var trust = task.Tls ? new ServerTrust(CertificateAuthority.FromPem(await File.ReadAllTextAsync(Mounted(BackupJobPaths.Authority), cancellationToken).ConfigureAwait(false)), checkAddress: false) : null;
            var destination = Copy(task.Destination);
            var (ns, name) = Split(task.Catalogue);
            using var store = new S3BackupStore(destination, ns, name);
            return task.Action switch
            {
                BackupTask.Take => await TakeAsync(task, store, trust, password, cancellationToken).ConfigureAwait(false),
                BackupTask.Restore => await RestoreAsync(task, store, trust, password, cancellationToken).ConfigureAwait(false),
                _ => throw new RedoubtException($"unknown action {task.Action}; allowed: {BackupTask.Take}, {BackupTask.Restore}"),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One line for the status: the message of what failed, never a secret (none is part of any message here).
            var error = e is RedoubtException or IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException or System.Net.Sockets.SocketException or Core.Redis.RedisReplyException
                ? e.Message
                : $"{e.GetType().Name}: {e.Message}";
            await log.WriteLineAsync($"{task.Action} of {task.Resource} failed: {error}").ConfigureAwait(false);
            return new BackupJobResult { Succeeded = false, Error = error.ReplaceLineEndings(" ") };
        }
    }

    private async Task<BackupJobResult> TakeAsync(BackupTask task, S3BackupStore store, ServerTrust? trust, string password, CancellationToken cancellationToken)
    {
        var staging = new SnapshotStaging(Mounted(BackupJobPaths.Work));
        var request = new BackupRequest(task.Resource, task.Spec, task.Candidates, trust, password, task.Keep);
        var result = await BackupTaker.TakeAsync(request, store, staging, RedisCheckRdb, time, cancellationToken).ConfigureAwait(false);
        var backup = result.Backup;
        var kept = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).Count;
        await log.WriteLineAsync($"backup {backup.Id} of {task.Resource} taken from {backup.SourceNode} ({backup.SourceRole}): {backup.SizeBytes} bytes, {backup.Keys} keys, in {backup.DurationMs:F0} ms, kept in {store.Location} ({kept} kept{(result.Pruned.Count > 0 ? $", {result.Pruned.Count} older removed" : "")})").ConfigureAwait(false);
        if (result.Warning is { } warning)
        {
            await log.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        return new BackupJobResult
        {
            Succeeded = true,
            Id = backup.Id,
            Time = backup.Time,
            SizeBytes = backup.SizeBytes,
            Keys = backup.Keys,
            SourceNode = backup.SourceNode,
            DurationMs = backup.DurationMs,
            Warning = result.Warning,
            Kept = kept,
        };
    }

    private async Task<BackupJobResult> RestoreAsync(BackupTask task, S3BackupStore store, ServerTrust? trust, string password, CancellationToken cancellationToken)
    {
        var id = task.Backup ?? throw new RedoubtException("the task names no backup to restore");
        var master = task.Master ?? throw new RedoubtException("the task names no master to restore into");
        var backup = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        var certificate = task.Tls ? new TlsFiles(Mounted(BackupJobPaths.Certificate), Mounted(BackupJobPaths.Key), Mounted(BackupJobPaths.Authority)) : null;
        await log.WriteLineAsync($"restoring backup {task.Catalogue}/{id} ({backup.Keys} keys, {backup.SizeBytes} bytes) into the master of {task.Resource}, {master}: its keys are replaced").ConfigureAwait(false);
        var report = await BackupRestorer.RestoreAsync(store, backup, master, password, trust, certificate, RedisServer, Mounted(BackupJobPaths.Work), Path.Combine(Mounted(BackupJobPaths.Work), ".downloads"), cancellationToken).ConfigureAwait(false);
        await log.WriteLineAsync($"backup {id} restored into {task.Resource}: {report.KeysRestored} of {report.KeysInBackup} keys in {report.DurationMs:F0} ms").ConfigureAwait(false);
        return new BackupJobResult
        {
            Succeeded = true,
            Id = id,
            Time = backup.Time,
            KeysInBackup = report.KeysInBackup,
            KeysRestored = report.KeysRestored,
            DurationMs = report.DurationMs,
        };
    }

    /// <summary>The task's bucket, its credentials the mounted file when the spec names a Secret.</summary>
    private Model.S3Destination Copy(Model.S3Destination destination) => new()
    {
        Endpoint = destination.Endpoint,
        Bucket = destination.Bucket,
        Region = destination.Region,
        Prefix = destination.Prefix,
        CredentialsFile = destination.CredentialsSecret is not null ? Mounted(BackupJobPaths.Credentials) : null,
    };

    private string Mounted(string path) => Path.Combine(MountRoot, path.TrimStart('/'));

    private static (string Namespace, string Name) Split(string key) =>
        key.Split('/') is [var ns, var name] ? (ns, name) : throw new RedoubtException($"'{key}' is not namespace/name");
}
