using System.Text.Json;
using System.Text.Json.Serialization;
using Redoubt.Core.Backup;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Backups;

/// <summary>
/// What one backup or restore Job does, written by the operator into the Job's environment
/// (<see cref="EnvironmentVariable"/>) and read by <c>redoubt backup-job</c> in its pod. It holds no secret: the admin
/// password, the bucket's credentials and the TLS files are mounted at <see cref="BackupJobPaths"/>.
/// </summary>
public sealed record BackupTask
{
    public const string EnvironmentVariable = "REDOUBT_BACKUP_TASK";

    public const string Take = "backup";
    public const string Restore = "restore";

    /// <summary><see cref="Take"/> or <see cref="Restore"/>.</summary>
    public required string Action { get; init; }

    /// <summary>namespace/name of the resource backed up or restored into.</summary>
    public required string Resource { get; init; }

    /// <summary>The bucket; its credentials, when the spec names a Secret, are the file at <see cref="BackupJobPaths.Credentials"/>.</summary>
    public required S3Destination Destination { get; init; }

    /// <summary>namespace/name whose backups the bucket's path holds: the resource itself, or for a restore the source.</summary>
    public required string Catalogue { get; init; }

    /// <summary>Backup: the nodes to try in order (in-sync replicas, then the master).</summary>
    public IReadOnlyList<BackupCandidate> Candidates { get; init; } = [];

    /// <summary>Backup: the spec recorded in the manifest, so a restore into a new resource can start from it.</summary>
    public RedisSpec? Spec { get; init; }

    /// <summary>Backup: the retention applied afterwards; null keeps every backup.</summary>
    public int? Keep { get; init; }

    /// <summary>Restore: the backup's id in <see cref="Catalogue"/>.</summary>
    public string? Backup { get; init; }

    /// <summary>Restore: the master's address, host:port.</summary>
    public string? Master { get; init; }

    /// <summary>The nodes speak TLS: their CA is at <see cref="BackupJobPaths.Authority"/> (and, for a restore, a node's certificate beside it).</summary>
    public bool Tls { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BackupTask FromJson(string json) =>
        JsonSerializer.Deserialize<BackupTask>(json, Json) ?? throw new JsonException("the task is empty");
}

/// <summary>
/// What a Job reports in its container's termination message (at most 4 KiB, read by the operator from the pod's
/// status): the backup taken or the keys restored, or why it failed.
/// </summary>
public sealed record BackupJobResult
{
    public bool Succeeded { get; init; }

    /// <summary>Why it failed: one line, no secret.</summary>
    public string? Error { get; init; }

    public string? Id { get; init; }
    public DateTimeOffset? Time { get; init; }
    public long? SizeBytes { get; init; }
    public long? Keys { get; init; }
    public string? SourceNode { get; init; }
    public double? DurationMs { get; init; }

    /// <summary>Backup: set when no replica could give a snapshot and the master's was taken.</summary>
    public string? Warning { get; init; }

    /// <summary>Backup: how many good backups the bucket holds afterwards.</summary>
    public int? Kept { get; init; }

    /// <summary>Restore: keys in the backup and keys that arrived in the master.</summary>
    public long? KeysInBackup { get; init; }
    public long? KeysRestored { get; init; }

    /// <summary>The longest message Kubernetes keeps of a container's termination message.</summary>
    public const int MaxMessageBytes = 4096;

    public string ToJson()
    {
        var json = JsonSerializer.Serialize(this, BackupTask.Json);
        return json.Length <= MaxMessageBytes / 2 ? json : JsonSerializer.Serialize(this with { Error = Error?[..Math.Min(Error.Length, 1500)], Warning = Warning?[..Math.Min(Warning.Length, 300)] }, BackupTask.Json);
    }

    /// <summary>A termination message as a result; null when it is not one (a crash's log tail, say).</summary>
    public static BackupJobResult? Read(string? message)
    {
        if (string.IsNullOrWhiteSpace(message) || !message.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<BackupJobResult>(message, BackupTask.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Where a Job's pod finds what is mounted into it.</summary>
public static class BackupJobPaths
{
    public const string Root = "/redoubt";
    public const string AdminPassword = Root + "/auth/admin-password";
    public const string TlsDirectory = Root + "/tls";
    public const string Authority = TlsDirectory + "/ca.crt";
    public const string Certificate = TlsDirectory + "/node.crt";
    public const string Key = TlsDirectory + "/node.key";
    public const string CredentialsDirectory = Root + "/s3";
    public const string Credentials = CredentialsDirectory + "/credentials";

    /// <summary>An emptyDir: the resource's redis-server (and redis-check-rdb, a link to it), copied from its Redis image.</summary>
    public const string Binaries = Root + "/bin";

    /// <summary>An emptyDir: the snapshot is staged and checked here, and a restore's scratch server runs here.</summary>
    public const string Work = Root + "/work";

    /// <summary>The key of the credentials Secret that holds the AWS shared credentials file.</summary>
    public const string CredentialsKey = "credentials";

    public const string TerminationMessage = "/dev/termination-log";
}
