using k8s;
using k8s.Models;
using Redoubt.Core.Backup;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Backups;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Kubernetes.Cluster.Tests.Operator;

/// <summary>
/// Backups on a real API server, with its job controller, and the operator as its ServiceAccount. This cluster has no
/// kubelet: a Job's pod is never run here, so the test plays the kubelet's one part the operator depends on (the pod
/// ends with the Job's report as its termination message). The Job the pod runs is tested against real Redis and a real
/// bucket in Redoubt.Integration.Tests (BackupJobTests) and on real pods in the pods bench.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class BackupJobsTests(ClusterFixture fixture)
{
    private const string JobImage = "redoubt.local/operator:test";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private readonly TestCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task AFinishedBackupJobsReportBecomesTheStatusAndTheJobGoes()
    {
        using var ct = new CancellationTokenSource(Deadline);
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "backups", ct.Token, startOperator: false);
        var op = scenario.StartOperator("a", options: ["--job-image", JobImage]);
        await scenario.ApplyAsync(RedisYaml.Of("vault", scenario.Namespace, "replicas: 2",
            "backup: {schedule: \"0 3 * * *\", retention: 4, s3: {endpoint: \"http://s3.storage.svc:9000\", bucket: backups, credentialsSecret: s3-credentials}}"));

        // Scheduled, nothing taken yet: the next time and a condition that says so.
        var scheduled = await scenario.UntilAsync("status.backup.nextTime", async () =>
            await scenario.GetRedisAsync("vault") is { } r && r["status"]?["backup"]?["nextTime"] is not null ? r : null);
        Assert.Equal("0 3 * * *", scheduled["status"]!["backup"]!["schedule"]!.GetValue<string>());
        Assert.Equal($"s3://backups/{scenario.Namespace}/vault/ at http://s3.storage.svc:9000", scheduled["status"]!["backup"]!["location"]!.GetValue<string>());
        Assert.Equal("NoBackupYet", OperatorScenario.Condition(scheduled, "Backups")?["reason"]?.GetValue<string>());

        // Asked for now, but no pod runs here: refused with the reason, no Job.
        var result = await scenario.KubectlAsync("annotate", "redis", "vault", $"{ResourceAnnotations.BackupRequestedAt}=2026-12-05T10:00:00Z");
        Assert.True(result.ExitCode == 0, result.ToString());
        var failed = await scenario.UntilAsync("a BackupFailed event", async () =>
            (await scenario.EventsAsync("vault")).FirstOrDefault(e => e["reason"]?.GetValue<string>() == "BackupFailed"));
        Assert.Contains("no replica is in sync", failed["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await scenario.Admin.BatchV1.ListNamespacedJobAsync(scenario.Namespace, cancellationToken: ct.Token)).Items);

        // A backup Job as the operator makes it, created with the operator's own permissions: the API server takes it.
        var redis = (await scenario.GetRedisAsync("vault"))!;
        var owner = new V1OwnerReference
        {
            ApiVersion = RedisResource.ApiVersionValue, Kind = RedisResource.KindValue, Name = "vault",
            Uid = redis["metadata"]!["uid"]!.GetValue<string>(), Controller = true, BlockOwnerDeletion = true,
        };
        var request = new BackupJobRequest("redis-vault-backup-202612050300", Scheduled: true, new BackupTask
        {
            Action = BackupTask.Take,
            Resource = $"{scenario.Namespace}/vault",
            Destination = new S3Destination { Endpoint = "http://s3.storage.svc:9000", Bucket = "backups", CredentialsSecret = "s3-credentials" },
            Catalogue = $"{scenario.Namespace}/vault",
            Candidates = [new BackupCandidate("rfr-redis-vault-1", "10.244.0.11:6379", IsMaster: false)],
            Keep = 4,
        }, "s3-credentials", null);
        using var asOperator = TestCluster.Client(scenario.OperatorKubeconfig);
        await asOperator.BatchV1.CreateNamespacedJobAsync(
            BackupJobManifest.Build(request, scenario.Namespace, new ObjectNames("vault"), owner, JobImage, "redis:8.2.1"), scenario.Namespace, cancellationToken: ct.Token);

        // The job controller makes its pod; the "kubelet" ends it with the Job's report.
        var report = new BackupJobResult { Succeeded = true, Id = "20261205T030001Z", Time = DateTimeOffset.Parse("2026-12-05T03:00:01Z", System.Globalization.CultureInfo.InvariantCulture), SizeBytes = 4321, Keys = 99, SourceNode = "rfr-redis-vault-1", DurationMs = 640, Kept = 2 };
        var pod = await EndJobAsync(scenario, request.Name, report, ct.Token);
        Assert.Equal(["backup-job", "--redis-bin", BackupJobPaths.Binaries], pod.Spec.Containers[0].Args);
        Assert.False(pod.Spec.AutomountServiceAccountToken);

        var done = await scenario.UntilAsync("status.backup.last from the Job's report", async () =>
            await scenario.GetRedisAsync("vault") is { } r && r["status"]?["backup"]?["last"]?.GetValue<string>() == report.Id ? r : null);
        var backup = done["status"]!["backup"]!;
        Assert.Equal(4321, backup["lastSizeBytes"]!.GetValue<long>());
        Assert.Equal(2, backup["count"]!.GetValue<int>());
        var condition = OperatorScenario.Condition(done, "Backups")!;
        Assert.Equal(("True", "BackedUp"), (condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>()));
        await scenario.UntilAsync("the finished Job deleted", async () =>
            (await scenario.Admin.BatchV1.ListNamespacedJobAsync(scenario.Namespace, cancellationToken: ct.Token)).Items.Count == 0 ? new object() : null);
        var backedUp = await scenario.UntilAsync("a BackedUp event", async () =>
            (await scenario.EventsAsync("vault")).FirstOrDefault(e => e["reason"]?.GetValue<string>() == "BackedUp"));
        Assert.Contains("99 keys", backedUp["note"]!.GetValue<string>(), StringComparison.Ordinal);

        // The leader exports what the status says, as the local control plane does.
        var address = new Uri(await scenario.UntilAsync("the operator's metrics address in its log", () =>
            Task.FromResult(File.Exists(op.LogPath) ? File.ReadLines(op.LogPath).Select(l => ServingMetrics().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value : null)));
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        var metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), ct.Token);
        Assert.Contains($"redoubt_backups_kept{{namespace=\"{scenario.Namespace}\",resource=\"vault\"}} 2", metrics, StringComparison.Ordinal);
        Assert.Contains($"redoubt_backup_last_size_bytes{{namespace=\"{scenario.Namespace}\",resource=\"vault\"}} 4321", metrics, StringComparison.Ordinal);

        // A Job that fails: its reason in the status and the condition, the newest good backup kept.
        var failing = request with { Name = "redis-vault-backup-202612050400" };
        await asOperator.BatchV1.CreateNamespacedJobAsync(
            BackupJobManifest.Build(failing, scenario.Namespace, new ObjectNames("vault"), owner, JobImage, "redis:8.2.1"), scenario.Namespace, cancellationToken: ct.Token);
        await EndJobAsync(scenario, failing.Name, new BackupJobResult { Succeeded = false, Error = "s3://backups/ refused the upload: AccessDenied" }, ct.Token);
        var refused = await scenario.UntilAsync("status.backup.lastFailure from the failed Job", async () =>
            await scenario.GetRedisAsync("vault") is { } r && r["status"]?["backup"]?["lastFailure"] is not null ? r : null);
        Assert.Equal("s3://backups/ refused the upload: AccessDenied", refused["status"]!["backup"]!["lastFailure"]!.GetValue<string>());
        Assert.Equal(report.Id, refused["status"]!["backup"]!["last"]!.GetValue<string>());
        var failedCondition = OperatorScenario.Condition(refused, "Backups")!;
        Assert.Equal(("False", "BackupFailed"), (failedCondition["status"]!.GetValue<string>(), failedCondition["reason"]!.GetValue<string>()));
    }

    /// <summary>
    /// The kubelet's one part here: the Job's pod (made by the job controller) ends, its container reporting
    /// <paramref name="report"/> as a Job's pod does, exit code 0 or 1 as the report says.
    /// </summary>
    private static async Task<V1Pod> EndJobAsync(OperatorScenario scenario, string job, BackupJobResult report, CancellationToken ct)
    {
        var pod = await scenario.UntilAsync($"the pod of {job}", async () =>
            (await scenario.Admin.CoreV1.ListNamespacedPodAsync(scenario.Namespace, labelSelector: $"job-name={job}", cancellationToken: ct)).Items.FirstOrDefault());
        var now = DateTime.UtcNow;
        var exit = report.Succeeded ? 0 : 1;
        pod.Status = new V1PodStatus
        {
            Phase = report.Succeeded ? "Succeeded" : "Failed",
            StartTime = now,
            InitContainerStatuses = [new V1ContainerStatus { Name = "redis-binaries", Image = "redis:8.2.1", ImageID = "", Ready = false, RestartCount = 0, State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0, Reason = "Completed", StartedAt = now, FinishedAt = now } } }],
            ContainerStatuses = [new V1ContainerStatus { Name = BackupJobManifest.Container, Image = JobImage, ImageID = "", Ready = false, RestartCount = 0, State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exit, Reason = exit == 0 ? "Completed" : "Error", Message = report.ToJson(), StartedAt = now, FinishedAt = now } } }],
        };
        await scenario.Admin.CoreV1.ReplaceNamespacedPodStatusAsync(pod, pod.Metadata.Name, scenario.Namespace, cancellationToken: ct);
        return pod;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Serving metrics on (http://\S+/)metrics")]
    private static partial System.Text.RegularExpressions.Regex ServingMetrics();
}
