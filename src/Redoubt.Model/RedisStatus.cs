namespace Redoubt.Model;

public static class Phases
{
    public const string Pending = "Pending";
    public const string Provisioning = "Provisioning";
    public const string Ready = "Ready";
    public const string Degraded = "Degraded";
    public const string FailingOver = "FailingOver";
    public const string Failed = "Failed";
    public const string Stopped = "Stopped";
}

public sealed class RedisStatus
{
    public string Phase { get; set; } = Phases.Pending;
    public long ObservedGeneration { get; set; }
    public string? Master { get; set; }
    /// <summary>
    /// The master endpoint: one address that always reaches the current master, whichever node it is (locally the
    /// master listens on it itself). Null where the platform has none.
    /// </summary>
    public string? Endpoint { get; set; }
    public List<string> Sentinels { get; set; } = [];
    public string MasterName { get; set; } = "mymaster";
    public string? RedisVersion { get; set; }
    public List<StatusCondition> Conditions { get; set; } = [];
    public List<NodeStatus> Nodes { get; set; } = [];
    public List<SentinelStatus> SentinelNodes { get; set; } = [];
    public FailoverRecord? LastFailover { get; set; }
    public PasswordRotationStatus? PasswordRotation { get; set; }
    public List<StatusEvent> Events { get; set; } = [];

    /// <summary>Backups of a resource whose spec schedules them, or that has any (local platform).</summary>
    public BackupStatus? Backup { get; set; }
}

public sealed class BackupStatus
{
    /// <summary>Where the backups are kept: a directory, or s3://bucket/prefix/namespace/name/.</summary>
    public string? Location { get; set; }

    /// <summary>The newest good backup: its id, when it was taken, its size and how long it took.</summary>
    public string? Last { get; set; }
    public DateTimeOffset? LastTime { get; set; }
    public long? LastSizeBytes { get; set; }
    public double? LastDurationMs { get; set; }

    /// <summary>How many good backups are kept.</summary>
    public int Count { get; set; }

    /// <summary>When the schedule takes the next one; null without a schedule.</summary>
    public DateTimeOffset? NextTime { get; set; }

    /// <summary>The last scheduled backup that failed, and why; cleared by the next success.</summary>
    public DateTimeOffset? LastFailureTime { get; set; }
    public string? LastFailure { get; set; }

    /// <summary>Kubernetes: the schedule <see cref="NextTime"/> was computed from (a changed schedule starts afresh).</summary>
    public string? Schedule { get; set; }

    /// <summary>Kubernetes: the Job taking a backup now, if any.</summary>
    public string? Running { get; set; }

    /// <summary>Kubernetes: the value of the backup-request annotation last acted on.</summary>
    public string? Request { get; set; }

    /// <summary>Kubernetes: the value of the restore annotation last acted on; cleared when the annotation goes, so the same restore can be asked again.</summary>
    public string? RestoreRequest { get; set; }

    /// <summary>Kubernetes: the last restore asked for by annotation, and how it went.</summary>
    public RestoreStatus? Restore { get; set; }
}

public sealed class RestoreStatus
{
    /// <summary>The backup: its id, or SOURCE/ID for another resource's backup.</summary>
    public string? From { get; set; }

    /// <summary>Running, Succeeded or Failed; Waiting or Refused when it could not start (<see cref="Message"/> says why).</summary>
    public string? State { get; set; }

    /// <summary>The Job that restores, or restored.</summary>
    public string? Job { get; set; }

    public DateTimeOffset? StartTime { get; set; }
    public DateTimeOffset? CompletionTime { get; set; }
    public long? KeysInBackup { get; set; }
    public long? KeysRestored { get; set; }

    /// <summary>Why it failed, or why it cannot start.</summary>
    public string? Message { get; set; }
}

public sealed class StatusCondition
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = "Unknown";
    public string Reason { get; set; } = "";
    public string Message { get; set; } = "";
    public DateTimeOffset LastTransitionTime { get; set; }
}

public sealed class NodeStatus
{
    public string Name { get; set; } = "";
    public string Role { get; set; } = "unknown";
    public string Zone { get; set; } = "";
    public string Address { get; set; } = "";
    public long ReplicationOffset { get; set; }
    public long? LagBytes { get; set; }
    public string Health { get; set; } = "unknown";
    public int? Pid { get; set; }
}

public sealed class SentinelStatus
{
    public string Name { get; set; } = "";
    public string Zone { get; set; } = "";
    public string Address { get; set; } = "";
    public string Health { get; set; } = "unknown";
    public string? MonitoredMaster { get; set; }
    public int? Pid { get; set; }
}

public sealed class FailoverRecord
{
    public DateTimeOffset Time { get; set; }
    public double DurationMs { get; set; }
    public string From { get; set; } = "";
    public string To { get; set; } = "";
    public string Cause { get; set; } = "";
}

public sealed class StatusEvent
{
    public DateTimeOffset Time { get; set; }
    public string Type { get; set; } = "Normal";
    public string Reason { get; set; } = "";
    public string Message { get; set; } = "";
}

/// <summary>The last rotation of the application password (never the password itself).</summary>
public sealed class PasswordRotationStatus
{
    /// <summary>The request carried out (the <c>redoubt.io/passwordRotatedAt</c> annotation's value).</summary>
    public string Request { get; set; } = "";

    /// <summary>True once every node and Sentinel that answers accepts the new password.</summary>
    public bool Applied { get; set; }

    /// <summary>Until when the password of before the rotation is accepted; null once it no longer is.</summary>
    public DateTimeOffset? OldPasswordUntil { get; set; }
}
