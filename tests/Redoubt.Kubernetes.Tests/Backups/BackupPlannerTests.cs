using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Backups;

namespace Redoubt.Kubernetes.Tests.Backups;

/// <summary>
/// When the operator takes a backup on Kubernetes, what a finished Job means for the status, and when a restore may
/// start: <see cref="BackupPlanner"/> is a pure function of the resource, its stored status, its Jobs and the time.
/// </summary>
public sealed class BackupPlannerTests
{
    private const string Image = "registry.local/redoubt:1";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 30, 0, TimeSpan.Zero);

    private static RedisResource Resource(string? schedule = "0 * * * *", bool s3 = true, Dictionary<string, string>? annotations = null)
    {
        var resource = new RedisResource { Metadata = new ObjectMeta { Name = "cache", Namespace = "shop", Uid = "4b1e0c3a-0000-4000-8000-000000000001" } };
        resource.Spec.Backup = new BackupSpec
        {
            Schedule = schedule,
            Retention = 3,
            S3 = s3 ? new S3Destination { Endpoint = "http://s3.local:9000", Bucket = "backups", CredentialsSecret = "s3-credentials" } : null,
        };
        foreach (var (key, value) in annotations ?? [])
        {
            resource.Metadata.Annotations[key] = value;
        }

        return resource;
    }

    private static RedisStatus Ready(bool replicaInSync = true) => new()
    {
        Phase = "Ready",
        Master = "10.1.0.10:6379",
        Nodes =
        [
            new NodeStatus { Name = "rfr-redis-cache-0", Role = "master", Address = "10.1.0.10:6379", Health = "ok" },
            new NodeStatus { Name = "rfr-redis-cache-1", Role = "replica", Address = "10.1.0.11:6379", Health = replicaInSync ? "ok" : "down", LagBytes = 0 },
        ],
    };

    private static BackupPlan Plan(RedisResource resource, BackupStatus? stored, IReadOnlyList<BackupJobState>? jobs = null, RedisStatus? current = null, DateTimeOffset? now = null,
        string? image = Image, Func<string, RedisResource?>? sibling = null) =>
        BackupPlanner.Plan(resource, stored, current ?? Ready(), jobs ?? [], now ?? Now, image, sibling ?? (_ => null));

    private static StatusCondition Condition(BackupPlan plan, string type) => Assert.Single(plan.Conditions, c => c.Type == type);

    [Fact]
    public void AResourceWithoutBackupsCostsNothing()
    {
        var resource = new RedisResource { Metadata = new ObjectMeta { Name = "cache", Namespace = "shop" } };
        Assert.Same(BackupPlan.Nothing, Plan(resource, stored: null));
    }

    [Fact]
    public void AFirstPassComputesTheNextTimeAndTakesNothingYet()
    {
        var plan = Plan(Resource(), stored: null);
        Assert.Empty(plan.Create);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 11, 0, 0, TimeSpan.Zero), plan.Status!.NextTime);
        Assert.Equal("0 * * * *", plan.Status.Schedule);
        Assert.Equal("s3://backups/shop/cache/ at http://s3.local:9000", plan.Status.Location);
        var condition = Condition(plan, "Backups");
        Assert.Equal(("Unknown", "NoBackupYet"), (condition.Status, condition.Reason));
        Assert.Contains("2026-12-05T11:00:00Z", condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADueScheduleStartsOneJobFromTheInSyncReplicaFirstAndMovesTheNextTime()
    {
        var stored = new BackupStatus { Schedule = "0 * * * *", NextTime = Now.AddMinutes(-1) };
        var plan = Plan(Resource(), stored, now: Now);
        var job = Assert.Single(plan.Create);
        Assert.True(job.Scheduled);
        Assert.Equal("redis-cache-backup-202612051029", job.Name);
        Assert.Equal(BackupTask.Take, job.Task.Action);
        Assert.Equal(["rfr-redis-cache-1", "rfr-redis-cache-0"], job.Task.Candidates.Select(c => c.Node));
        Assert.Equal(3, job.Task.Keep);
        Assert.Equal("s3-credentials", job.CredentialsSecret);
        Assert.Equal(job.Name, plan.Status!.Running);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 11, 0, 0, TimeSpan.Zero), plan.Status.NextTime);
        Assert.Equal(BackupPlanner.WhileRunning, plan.RequeueAfter);
        Assert.DoesNotContain(plan.Events, e => e.Reason == "BackupMissed");
    }

    [Fact]
    public void AScheduleDueLongAgoIsTakenOnceAndReportedAsMissed()
    {
        var stored = new BackupStatus { Schedule = "0 * * * *", NextTime = Now.AddHours(-5) };
        var plan = Plan(Resource(), stored);
        Assert.Single(plan.Create);
        Assert.Contains(plan.Events, e => e.Reason == "BackupMissed" && e.Type == "Warning");
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 11, 0, 0, TimeSpan.Zero), plan.Status!.NextTime);
    }

    [Fact]
    public void ADueScheduleWhileABackupRunsStartsNoSecondOne()
    {
        var stored = new BackupStatus { Schedule = "0 * * * *", NextTime = Now.AddMinutes(-1), Running = "redis-cache-backup-202612050929" };
        var running = new BackupJobState("redis-cache-backup-202612050929", BackupTask.Take, Scheduled: true, Finished: false, null, null);
        var plan = Plan(Resource(), stored, [running]);
        Assert.Empty(plan.Create);
        Assert.Contains(plan.Events, e => e.Reason == "BackupMissed" && e.Message.Contains("still taking", StringComparison.Ordinal));
    }

    [Fact]
    public void AFinishedJobsReportBecomesTheStatusAndTheJobIsDeleted()
    {
        var stored = new BackupStatus { Schedule = "0 * * * *", NextTime = Now.AddMinutes(30), Running = "redis-cache-backup-202612051000", LastFailure = "earlier", LastFailureTime = Now.AddHours(-2) };
        var result = new BackupJobResult { Succeeded = true, Id = "20261205T100002Z", Time = Now.AddMinutes(-30), SizeBytes = 1234, Keys = 56, SourceNode = "rfr-redis-cache-1", DurationMs = 800, Kept = 3 };
        var plan = Plan(Resource(), stored, [new BackupJobState("redis-cache-backup-202612051000", BackupTask.Take, true, Finished: true, result, null)]);
        Assert.Equal("20261205T100002Z", plan.Status!.Last);
        Assert.Equal(1234, plan.Status.LastSizeBytes);
        Assert.Equal(3, plan.Status.Count);
        Assert.Null(plan.Status.Running);
        Assert.Null(plan.Status.LastFailure);
        Assert.Equal(["redis-cache-backup-202612051000"], plan.Delete);
        Assert.Contains(plan.Events, e => e.Reason == "BackedUp" && e.Message.Contains("56 keys", StringComparison.Ordinal));
        Assert.Equal(("True", "BackedUp"), (Condition(plan, "Backups").Status, Condition(plan, "Backups").Reason));
    }

    [Fact]
    public void AFailedScheduledBackupSaysWhyAndIsTriedAgainAMinuteLater()
    {
        var stored = new BackupStatus { Schedule = "0 * * * *", NextTime = Now.AddMinutes(30), Last = "20261205T090000Z", LastTime = Now.AddHours(-1.5) };
        var result = new BackupJobResult { Succeeded = false, Error = "s3://backups/ at http://s3.local:9000 refused the upload: AccessDenied" };
        var plan = Plan(Resource(), stored, [new BackupJobState("redis-cache-backup-202612051000", BackupTask.Take, true, true, result, null)]);
        Assert.Equal(result.Error, plan.Status!.LastFailure);
        Assert.Equal(Now + BackupPlanner.RetryAfterFailure, plan.Status.NextTime);
        var condition = Condition(plan, "Backups");
        Assert.Equal(("False", "BackupFailed"), (condition.Status, condition.Reason));
        Assert.Contains("AccessDenied", condition.Message, StringComparison.Ordinal);
        Assert.Equal("20261205T090000Z", plan.Status.Last);
    }

    [Fact]
    public void AJobThatDiedWithoutAReportFailsWithKubernetesReason()
    {
        var plan = Plan(Resource(schedule: null), new BackupStatus(), [new BackupJobState("redis-cache-backup-1a2b3c4d", BackupTask.Take, false, true, null, "the Job failed: DeadlineExceeded")]);
        Assert.Equal("the Job failed: DeadlineExceeded", plan.Status!.LastFailure);
        Assert.Null(plan.Status.NextTime);
    }

    [Fact]
    public void AJobTheStatusSaysRunsButThatIsGoneFailsAndAScheduledOneIsTriedAgain()
    {
        var stored = new BackupStatus
        {
            Schedule = "0 * * * *", NextTime = Now.AddMinutes(30), Running = "redis-cache-backup-202612051000",
            Restore = new RestoreStatus { From = "x1", State = "Running", Job = "redis-cache-restore-1a2b3c4d", StartTime = Now.AddMinutes(-1) },
        };
        var plan = Plan(Resource(), stored, jobs: []);
        Assert.Contains("redis-cache-backup-202612051000 is gone", plan.Status!.LastFailure, StringComparison.Ordinal);
        Assert.Null(plan.Status.Running);
        Assert.Equal(Now + BackupPlanner.RetryAfterFailure, plan.Status.NextTime);
        Assert.Equal("Failed", plan.Status.Restore!.State);
        Assert.Contains("is gone", plan.Status.Restore.Message, StringComparison.Ordinal);
        Assert.Equal(("False", "RestoreFailed"), (Condition(plan, "Restoring").Status, Condition(plan, "Restoring").Reason));
    }

    [Fact]
    public void TheAnnotationAsksForOneBackupPerValue()
    {
        var resource = Resource(schedule: null, annotations: new() { [ResourceAnnotations.BackupRequestedAt] = "2026-12-05T10:29:00Z" });
        var first = Plan(resource, stored: null);
        var job = Assert.Single(first.Create);
        Assert.False(job.Scheduled);
        Assert.StartsWith("redis-cache-backup-", job.Name, StringComparison.Ordinal);
        Assert.Equal("2026-12-05T10:29:00Z", first.Status!.Request);

        // The same value again (the next pass, or a new leader): nothing more.
        var again = Plan(resource, first.Status, [new BackupJobState(job.Name, BackupTask.Take, false, false, null, null)]);
        Assert.Empty(again.Create);

        resource.Metadata.Annotations[ResourceAnnotations.BackupRequestedAt] = "2026-12-05T10:31:00Z";
        var second = Plan(resource, again.Status, []);
        Assert.NotEqual(job.Name, Assert.Single(second.Create).Name);
    }

    [Fact]
    public void WithoutABucketOrWithALocalCredentialsFileNothingIsTakenAndTheConditionSaysWhy()
    {
        var noBucket = Plan(Resource(s3: false, annotations: new() { [ResourceAnnotations.BackupRequestedAt] = "now" }), stored: null);
        Assert.Empty(noBucket.Create);
        Assert.Equal(("False", "CannotBackUp"), (Condition(noBucket, "Backups").Status, Condition(noBucket, "Backups").Reason));
        Assert.Contains("spec.backup.s3", Condition(noBucket, "Backups").Message, StringComparison.Ordinal);
        Assert.Contains(noBucket.Events, e => e.Reason == "BackupRefused");

        var file = Resource();
        file.Spec.Backup!.S3!.CredentialsSecret = null;
        file.Spec.Backup.S3.CredentialsFile = "/home/me/.aws/credentials";
        Assert.Contains("credentialsSecret", Condition(Plan(file, stored: null), "Backups").Message, StringComparison.Ordinal);

        Assert.Contains("--job-image", Condition(Plan(Resource(), stored: null, image: null), "Backups").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoNodeToTakeItFromFailsTheDueBackupAndRetries()
    {
        var stored = new BackupStatus { Schedule = "0 * * * *", NextTime = Now.AddMinutes(-1) };
        var plan = Plan(Resource(), stored, current: new RedisStatus { Phase = "Degraded" });
        Assert.Empty(plan.Create);
        Assert.Contains("no replica is in sync", plan.Status!.LastFailure, StringComparison.Ordinal);
        Assert.Equal(Now + BackupPlanner.RetryAfterFailure, plan.Status.NextTime);
    }

    [Fact]
    public void ARestoreWaitsForItsConfirmationThenRunsIntoTheMaster()
    {
        var unconfirmed = Resource(schedule: null, annotations: new() { [ResourceAnnotations.RestoreFrom] = "20261205T100002Z" });
        var refused = Plan(unconfirmed, stored: null);
        Assert.Empty(refused.Create);
        Assert.Equal("Refused", refused.Status!.Restore!.State);
        Assert.Contains($"{ResourceAnnotations.RestoreConfirm}=cache", refused.Status.Restore.Message, StringComparison.Ordinal);
        Assert.Null(refused.Status.RestoreRequest);

        unconfirmed.Metadata.Annotations[ResourceAnnotations.RestoreConfirm] = "cache";
        var plan = Plan(unconfirmed, refused.Status);
        var job = Assert.Single(plan.Create);
        Assert.Equal(BackupTask.Restore, job.Task.Action);
        Assert.Equal("20261205T100002Z", job.Task.Backup);
        Assert.Equal("shop/cache", job.Task.Catalogue);
        Assert.Equal("10.1.0.10:6379", job.Task.Master);
        Assert.Null(job.CertificatePod);
        Assert.Equal("Running", plan.Status!.Restore!.State);
        var restoring = Condition(plan, "Restoring");
        Assert.Equal(("True", "Restoring"), (restoring.Status, restoring.Reason));

        // Done: the condition says how it went, and the same value does not run again.
        var done = Plan(unconfirmed, plan.Status, [new BackupJobState(job.Name, BackupTask.Restore, false, true, new BackupJobResult { Succeeded = true, KeysInBackup = 10, KeysRestored = 10, DurationMs = 40 }, null)]);
        Assert.Empty(done.Create);
        Assert.Equal("Succeeded", done.Status!.Restore!.State);
        Assert.Equal(("False", "Restored"), (Condition(done, "Restoring").Status, Condition(done, "Restoring").Reason));
        Assert.Empty(Plan(unconfirmed, done.Status).Create);

        // Asked again after the annotation went: a new Job.
        var cleared = Plan(Resource(schedule: null), done.Status);
        Assert.Null(cleared.Status!.RestoreRequest);
        var rerun = Plan(unconfirmed, cleared.Status);
        Assert.NotEqual(job.Name, Assert.Single(rerun.Create).Name);
    }

    [Fact]
    public void ARestoreWaitsForAReadyMasterAndTakesAnotherResourcesBucketFromItsSpec()
    {
        var resource = Resource(schedule: null, s3: false, annotations: new()
        {
            [ResourceAnnotations.RestoreFrom] = "orders/20261205T100002Z",
            [ResourceAnnotations.RestoreConfirm] = "cache",
        });
        var orders = Resource();
        orders.Metadata.Name = "orders";
        orders.Spec.Backup!.S3!.Bucket = "orders-backups";
        RedisResource? Sibling(string name) => name == "orders" ? orders : null;
        var waiting = Plan(resource, stored: null, current: new RedisStatus { Phase = "Pending" }, sibling: Sibling);
        Assert.Empty(waiting.Create);
        Assert.Equal("Waiting", waiting.Status!.Restore!.State);
        Assert.Null(waiting.Status.RestoreRequest);

        var plan = Plan(resource, waiting.Status, sibling: Sibling);
        var job = Assert.Single(plan.Create);
        Assert.Equal("shop/orders", job.Task.Catalogue);
        Assert.Equal("orders-backups", job.Task.Destination.Bucket);
        Assert.Equal("shop/cache", job.Task.Resource);
    }

    [Fact]
    public void ARestoreFromAResourceWhoseBucketIsUnknownIsRefused()
    {
        var resource = Resource(schedule: null, s3: false, annotations: new() { [ResourceAnnotations.RestoreFrom] = "gone/20261205T100002Z", [ResourceAnnotations.RestoreConfirm] = "cache" });
        var plan = Plan(resource, stored: null);
        Assert.Empty(plan.Create);
        Assert.Equal("Refused", plan.Status!.Restore!.State);
        Assert.Contains("no bucket is known for the backups of gone", plan.Status.Restore.Message, StringComparison.Ordinal);
        Assert.Contains(plan.Events, e => e.Reason == "RestoreRefused");
    }

    [Fact]
    public void WithoutAnImageForTheJobsNeitherABackupNorARestoreStarts()
    {
        var resource = Resource(annotations: new()
        {
            [ResourceAnnotations.BackupRequestedAt] = "now",
            [ResourceAnnotations.RestoreFrom] = "x1",
            [ResourceAnnotations.RestoreConfirm] = "cache",
        });
        var plan = Plan(resource, new BackupStatus { Schedule = "0 * * * *", NextTime = Now.AddMinutes(-1) }, image: null);
        Assert.Empty(plan.Create);
        Assert.Equal("Refused", plan.Status!.Restore!.State);
        Assert.Contains("--job-image", plan.Status.Restore.Message, StringComparison.Ordinal);
        Assert.Contains(plan.Events, e => e.Reason == "BackupRefused");
    }

    [Fact]
    public void ARestoreIntoATlsResourceMountsTheMastersCertificate()
    {
        var resource = Resource(schedule: null, annotations: new() { [ResourceAnnotations.RestoreFrom] = "x1", [ResourceAnnotations.RestoreConfirm] = "cache" });
        resource.Spec.Tls = new TlsSpec { Enabled = true };
        var job = Assert.Single(Plan(resource, stored: null).Create);
        Assert.True(job.Task.Tls);
        Assert.Equal("rfr-redis-cache-0", job.CertificatePod);
    }

    [Theory]
    [InlineData("cache")]
    [InlineData("a-resource-name-that-is-long-enough-to-need-shortening-x")]
    public void JobNamesStayShortEnoughForThePodsLabel(string name)
    {
        var jobName = BackupPlanner.JobName(new Platforms.Kubernetes.Manifests.ObjectNames(name), "restore", "1a2b3c4d");
        Assert.True(jobName.Length <= 52, jobName);
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", jobName);
        Assert.EndsWith("-restore-1a2b3c4d", jobName, StringComparison.Ordinal);
    }
}
