using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Redoubt.Core.Backup;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Backups;

/// <summary>A backup or restore Job of a resource as the operator found it.</summary>
/// <param name="Scheduled">Started by the schedule (a failure is then tried again a minute later).</param>
/// <param name="Result">What its container reported; null while it runs, or when it died without a word.</param>
/// <param name="Failure">Kubernetes' own reason when the Job failed without a result (deadline, eviction, image).</param>
public sealed record BackupJobState(string Name, string Action, bool Scheduled, bool Finished, BackupJobResult? Result, string? Failure);

/// <summary>A Job to create: its name, whether the schedule started it, its task, and what its pod mounts besides the admin password.</summary>
public sealed record BackupJobRequest(string Name, bool Scheduled, BackupTask Task, string? CredentialsSecret, string? CertificatePod);

/// <summary>One pass's decisions about a resource's backups; applied by the operator after the status is written.</summary>
public sealed record BackupPlan(
    BackupStatus? Status,
    IReadOnlyList<StatusCondition> Conditions,
    IReadOnlyList<BackupJobRequest> Create,
    IReadOnlyList<string> Delete,
    IReadOnlyList<StatusEvent> Events,
    TimeSpan? RequeueAfter)
{
    public static readonly BackupPlan Nothing = new(null, [], [], [], [], null);
}

/// <summary>
/// Backups and restores on Kubernetes, decided as a pure function of the resource (spec, annotations), what the status
/// remembers (<see cref="BackupStatus"/>), the resource's Jobs and the time: when the schedule or the
/// <see cref="ResourceAnnotations.BackupRequestedAt"/> annotation asks for a backup, which Job takes it, what a
/// finished Job means for the status, and when a restore may start. Table-tested; <c>Operator.BackupJobs</c> does the I/O.
/// </summary>
public static class BackupPlanner
{
    public const string ConditionBackups = Operator.StatusConditions.Backups;
    public const string ConditionRestoring = Operator.StatusConditions.Restoring;

    /// <summary>A failed scheduled backup is tried again this much later, as on the local platform.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    /// <summary>A scheduled backup started later than this after its time is reported as missed (the operator was down, say).</summary>
    public static readonly TimeSpan Lateness = TimeSpan.FromMinutes(2);

    /// <summary>How often a pass looks again while a Job runs.</summary>
    public static readonly TimeSpan WhileRunning = TimeSpan.FromSeconds(5);

    /// <param name="stored">What the status remembered of the backups before this pass.</param>
    /// <param name="current">This pass's status (the master and the nodes' roles and lag).</param>
    /// <param name="image">The image the Jobs run (the operator's); null when the operator cannot tell.</param>
    /// <param name="sibling">Another Redis resource of the same namespace, by name (a restore's source), or null.</param>
    public static BackupPlan Plan(RedisResource resource, BackupStatus? stored, RedisStatus current, IReadOnlyList<BackupJobState> jobs,
        DateTimeOffset now, string? image, Func<string, RedisResource?> sibling)
    {
        var spec = resource.Spec;
        var requestMark = ResourceAnnotations.BackupRequestedAtOf(resource);
        var restoreFrom = ResourceAnnotations.RestoreFromOf(resource);
        if (spec.Backup is null && requestMark is null && restoreFrom is null && stored is null && jobs.Count == 0)
        {
            return BackupPlan.Nothing;
        }

        var names = new ObjectNames(resource.Metadata.Name);
        var ns = resource.Metadata.Namespace;
        var status = Copy(stored);
        var create = new List<BackupJobRequest>();
        var events = new List<StatusEvent>();
        void Event(string type, string reason, string message) => events.Add(new StatusEvent { Time = now, Type = type, Reason = reason, Message = message });

        // Finished Jobs first: what they did is what the rest of the pass starts from. They are deleted once the status holds it.
        foreach (var job in jobs.Where(j => j.Finished))
        {
            Finish(status, job, now, Event);
        }

        // A Job the status says runs but that is not there was never created (the API refused it) or was deleted by
        // hand: it failed, and says so. Finished Jobs are deleted only after the status has their outcome.
        if (status.Running is { } vanished && jobs.All(j => j.Name != vanished))
        {
            Finish(status, new BackupJobState(vanished, BackupTask.Take, Scheduled: status.Schedule is not null, Finished: true, null, $"the Job {vanished} is gone: it was not created, or was deleted before it finished"), now, Event);
        }

        if (status.Restore is { State: "Running", Job: { } restoring } && jobs.All(j => j.Name != restoring))
        {
            Finish(status, new BackupJobState(restoring, BackupTask.Restore, Scheduled: false, Finished: true, null, $"the Job {restoring} is gone: it was not created, or was deleted before it finished"), now, Event);
        }

        var active = jobs.Where(j => !j.Finished).ToList();
        status.Running = active.FirstOrDefault(j => j.Action == BackupTask.Take)?.Name;
        var destination = spec.Backup?.S3;
        var imageProblem = image is null ? NoImage : null;
        var problem = DestinationProblem(spec) ?? imageProblem;
        status.Location = destination is not null ? S3BackupStore.LocationOf(destination, ns, resource.Metadata.Name) : null;
        var candidates = BackupSource.Candidates(current);

        BackupJobRequest Backup(string name, bool scheduled) => new(name, scheduled, new BackupTask
        {
            Action = BackupTask.Take,
            Resource = resource.Key,
            Destination = destination!,
            Catalogue = resource.Key,
            Candidates = candidates,
            Spec = spec,
            Keep = BackupSchedule.RetentionOf(spec),
            Tls = TlsOf(resource),
        }, destination!.CredentialsSecret, null);

        // The schedule.
        var schedule = BackupSchedule.Of(spec);
        if (schedule is null || problem is not null)
        {
            status.Schedule = null;
            status.NextTime = null;
        }
        else if (status.Schedule != schedule.Text || status.NextTime is null)
        {
            status.Schedule = schedule.Text;
            status.NextTime = schedule.NextAfter(now);
        }
        else if (now >= status.NextTime)
        {
            var due = status.NextTime.Value;
            status.NextTime = schedule.NextAfter(now);
            if (status.Running is { } running)
            {
                Event("Warning", "BackupMissed", $"the backup due at {Time(due)} was not started: {running} was still taking the previous one");
            }
            else if (candidates.Count == 0)
            {
                status.LastFailure = "no node to take a backup from: no replica is in sync and no master is known";
                status.LastFailureTime = now;
                status.NextTime = Earliest(status.NextTime, now + RetryAfterFailure);
                Event("Warning", "BackupFailed", $"the backup due at {Time(due)} was not taken: {status.LastFailure}");
            }
            else
            {
                if (now - due > Lateness)
                {
                    Event("Warning", "BackupMissed", $"the backup due at {Time(due)} starts late, at {Time(now)} (no operator was leading in between)");
                }

                var job = Backup(JobName(names, "backup", due.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)), scheduled: true);
                create.Add(job);
                status.Running = job.Name;
            }
        }

        // A backup asked for by annotation.
        if (requestMark is not null && requestMark != status.Request)
        {
            status.Request = requestMark;
            if (problem is not null)
            {
                Event("Warning", "BackupRefused", $"{ResourceAnnotations.BackupRequestedAt} asks for a backup, but {problem}");
            }
            else if (status.Running is { } running)
            {
                Event("Normal", "BackupRunning", $"{ResourceAnnotations.BackupRequestedAt} asks for a backup: {running} is taking one now");
            }
            else if (candidates.Count == 0)
            {
                Event("Warning", "BackupFailed", $"{ResourceAnnotations.BackupRequestedAt} asks for a backup, but no node can give one: no replica is in sync and no master is known");
            }
            else
            {
                var job = Backup(JobName(names, "backup", Hash(requestMark)), scheduled: false);
                create.Add(job);
                status.Running = job.Name;
            }
        }

        // A restore may use another resource's bucket: only the missing image stops it whatever the spec says.
        Restore(resource, status, current, active, restoreFrom, imageProblem, now, names, sibling, create, Event);

        var conditions = new List<StatusCondition>();
        if (spec.Backup is not null || status.Last is not null)
        {
            conditions.Add(BackupsCondition(status, problem));
        }

        if (status.Restore is { } restore)
        {
            conditions.Add(RestoringCondition(restore));
        }

        var keep = status.Last is not null || status.Restore is not null || spec.Backup is not null || status.Request is not null || status.RestoreRequest is not null || status.LastFailure is not null;
        TimeSpan? requeue = active.Count > 0 || create.Count > 0 ? WhileRunning
            : status.NextTime is { } next ? (next > now ? next - now : TimeSpan.Zero) + TimeSpan.FromMilliseconds(100)
            : status.Restore is { State: "Waiting" } ? WhileRunning
            : null;
        return new BackupPlan(keep ? status : null, conditions, create, [.. jobs.Where(j => j.Finished).Select(j => j.Name)], events, requeue);
    }

    private static void Finish(BackupStatus status, BackupJobState job, DateTimeOffset now, Action<string, string, string> @event)
    {
        var result = job.Result;
        if (job.Action == BackupTask.Take)
        {
            if (result is { Succeeded: true, Id: { } id })
            {
                status.Last = id;
                status.LastTime = result.Time;
                status.LastSizeBytes = result.SizeBytes;
                status.LastDurationMs = result.DurationMs;
                status.Count = result.Kept ?? status.Count;
                status.LastFailure = null;
                status.LastFailureTime = null;
                @event("Normal", "BackedUp", $"backup {id} taken from {result.SourceNode}: {result.SizeBytes} bytes, {result.Keys} keys, in {result.DurationMs:F0} ms");
                if (result.Warning is { } warning)
                {
                    @event("Warning", "BackupFromMaster", warning);
                }
            }
            else
            {
                status.LastFailure = result?.Error ?? job.Failure ?? "the backup Job failed without a report (see its pod's log)";
                status.LastFailureTime = now;
                if (job.Scheduled)
                {
                    status.NextTime = Earliest(status.NextTime, now + RetryAfterFailure);
                }

                @event("Warning", "BackupFailed", $"{job.Name}: {status.LastFailure}");
            }

            return;
        }

        if (status.Restore is { } restore && restore.Job == job.Name)
        {
            restore.CompletionTime = now;
            if (result is { Succeeded: true })
            {
                restore.State = "Succeeded";
                restore.KeysInBackup = result.KeysInBackup;
                restore.KeysRestored = result.KeysRestored;
                restore.Message = $"{result.KeysRestored} of {result.KeysInBackup} keys restored in {result.DurationMs:F0} ms";
                @event("Normal", "Restored", $"backup {restore.From} restored: {restore.Message}");
            }
            else
            {
                restore.State = "Failed";
                restore.Message = result?.Error ?? job.Failure ?? "the restore Job failed without a report (see its pod's log)";
                @event("Warning", "RestoreFailed", $"backup {restore.From} was not restored: {restore.Message}");
            }
        }
    }

    private static void Restore(RedisResource resource, BackupStatus status, RedisStatus current, IReadOnlyList<BackupJobState> active, string? from, string? problem,
        DateTimeOffset now, ObjectNames names, Func<string, RedisResource?> sibling, List<BackupJobRequest> create, Action<string, string, string> @event)
    {
        if (from is null)
        {
            // Gone: the same restore may be asked again later.
            status.RestoreRequest = null;
            return;
        }

        if (from == status.RestoreRequest)
        {
            return;
        }

        void Hold(string state, string message, string? reason = null)
        {
            status.Restore = new RestoreStatus { From = from, State = state, Message = message, StartTime = status.Restore?.StartTime, CompletionTime = status.Restore?.CompletionTime };
            if (reason is not null)
            {
                @event("Warning", reason, $"{ResourceAnnotations.RestoreFrom}={from}: {message}");
            }
        }

        var name = resource.Metadata.Name;
        if (ResourceAnnotations.RestoreConfirmOf(resource) != name)
        {
            Hold("Refused", $"a restore replaces every key of {name}: set the annotation {ResourceAnnotations.RestoreConfirm}={name} to confirm", "RestoreRefused");
            return;
        }

        var parts = from.Split('/');
        if (parts.Length is not (1 or 2) || parts.Any(p => p.Length == 0) || (parts.Length == 2 && !System.Text.RegularExpressions.Regex.IsMatch(parts[0], Crd.SpecRules.ObjectNamePattern)))
        {
            status.RestoreRequest = from;
            Hold("Refused", $"must be a backup's id, or SOURCE/ID with SOURCE a Redis resource of namespace {resource.Metadata.Namespace}", "RestoreRefused");
            return;
        }

        var source = parts.Length == 2 ? parts[0] : name;
        var backupId = parts[^1];
        var destination = source == name ? resource.Spec.Backup?.S3 : sibling(source)?.Spec.Backup?.S3 ?? resource.Spec.Backup?.S3;
        if (problem is not null || destination is null)
        {
            status.RestoreRequest = from;
            Hold("Refused", problem ?? $"no bucket is known for the backups of {source}: set spec.backup.s3 (here or on {source})", "RestoreRefused");
            return;
        }

        if (active.Any(j => j.Action == BackupTask.Restore))
        {
            return;
        }

        if (current.Master is not { Length: > 0 } master || current.Phase != "Ready")
        {
            Hold("Waiting", $"waits for {name} to be Ready with a master (now {current.Phase ?? "unknown"})");
            return;
        }

        var tls = TlsOf(resource);
        var masterPod = current.Nodes.FirstOrDefault(n => n.Address == master)?.Name;
        var job = JobName(names, "restore", Hash($"{from}@{status.Restore?.CompletionTime?.ToUnixTimeMilliseconds() ?? 0}"));
        create.Add(new BackupJobRequest(job, Scheduled: false, new BackupTask
        {
            Action = BackupTask.Restore,
            Resource = resource.Key,
            Destination = destination,
            Catalogue = $"{resource.Metadata.Namespace}/{source}",
            Backup = backupId,
            Master = master,
            Tls = tls,
        }, destination.CredentialsSecret, tls ? masterPod : null));
        status.RestoreRequest = from;
        status.Restore = new RestoreStatus { From = from, State = "Running", Job = job, StartTime = now };
        @event("Warning", "Restoring", $"restoring backup {from} into the master {master}: its keys are replaced ({job})");
    }

    /// <summary>Why the spec's destination takes no backup on Kubernetes, or null.</summary>
    private static string? DestinationProblem(RedisSpec spec) =>
        spec.Backup is { S3: null } ? "spec.backup has no s3: on Kubernetes backups go to an S3-compatible bucket (spec.backup.s3); a directory in a pod would go with the pod"
        : spec.Backup?.S3?.CredentialsFile is not null ? "spec.backup.s3.credentialsFile names a file of the local platform's machine; on Kubernetes name a Secret instead (spec.backup.s3.credentialsSecret)"
        : null;

    private const string NoImage = "the operator does not know its own image to run the backup Jobs with (run it in its pod with POD_NAME set, or pass --job-image)";

    private static StatusCondition BackupsCondition(BackupStatus status, string? problem) =>
        problem is not null ? Condition(ConditionBackups, "False", "CannotBackUp", problem)
        : status.LastFailure is { } failure && (status.LastTime is null || status.LastFailureTime > status.LastTime)
            ? Condition(ConditionBackups, "False", "BackupFailed", $"the last backup failed at {Time(status.LastFailureTime)}: {failure}")
        : status.Last is { } last
            ? Condition(ConditionBackups, "True", "BackedUp", $"the newest backup is {last} ({Time(status.LastTime)}), {status.Count} kept in {status.Location}{Next(status)}")
        : Condition(ConditionBackups, "Unknown", "NoBackupYet", $"no backup taken yet{Next(status)}");

    private static StatusCondition RestoringCondition(RestoreStatus restore) => restore.State switch
    {
        "Running" => Condition(ConditionRestoring, "True", "Restoring", $"backup {restore.From} is being restored into the master ({restore.Job}): its keys are being replaced; writes made meanwhile may be overwritten or lost"),
        "Succeeded" => Condition(ConditionRestoring, "False", "Restored", $"backup {restore.From} restored: {restore.Message}"),
        "Failed" => Condition(ConditionRestoring, "False", "RestoreFailed", $"backup {restore.From} was not restored: {restore.Message}"),
        _ => Condition(ConditionRestoring, "False", restore.State ?? "Unknown", $"backup {restore.From}: {restore.Message}"),
    };

    private static bool TlsOf(RedisResource resource) => Core.Planning.Planner.Plan(resource).Spec.TlsEnabled;

    private static string Next(BackupStatus status) => status.NextTime is { } next ? $"; the next is due at {Time(next)}" : "";

    private static StatusCondition Condition(string type, string value, string reason, string message) =>
        new() { Type = type, Status = value, Reason = reason, Message = message };

    private static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "?";

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    /// <summary>A Job's name: the resource's instance, what it does and a stamp; shortened with a hash to stay a valid label value (63) with the pod suffix.</summary>
    public static string JobName(ObjectNames names, string kind, string stamp)
    {
        var name = $"{names.Instance}-{kind}-{stamp}";
        return name.Length <= 52 ? name : $"{names.Instance[..(52 - kind.Length - stamp.Length - 11)].TrimEnd('-', '.')}-{Hash(names.Instance)}-{kind}-{stamp}";
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];

    /// <summary>A copy the pass may change; every field, the restore's too, whatever fields the status gains.</summary>
    private static BackupStatus Copy(BackupStatus? stored) =>
        stored is null ? new BackupStatus() : JsonSerializer.Deserialize<BackupStatus>(JsonSerializer.Serialize(stored, BackupTask.Json), BackupTask.Json)!;
}
