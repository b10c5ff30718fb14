using Redoubt.Core.Healing;
using Redoubt.Core.Telemetry;
using Redoubt.Metrics;
using Redoubt.Model;

namespace Redoubt.Integration.Tests.Metrics;

/// <summary>What the exporter writes for the samples, failovers and actions Core reports: series appear, follow, and go.</summary>
public sealed class PrometheusTelemetryTests
{
    private static ResourceSample Sample(string name, params NodeSample[] nodes) => new()
    {
        Namespace = "shop",
        Name = name,
        Phase = Phases.Ready,
        Conditions = new Dictionary<string, bool> { ["Ready"] = true },
        HasMaster = true,
        SentinelQuorum = 2,
        SentinelsMonitoring = 3,
        Nodes = nodes,
        Sentinels = [new SentinelSample("s-0", "gland", true, true)],
    };

    private static NodeSample Node(string name, int pid, string role = "master", long evicted = 0) =>
        new() { Node = name, Zone = "gland", Up = true, Role = role, Pid = pid, OffsetBytes = 100, EvictedKeys = evicted, MasterLinkUp = role == "replica" ? true : null };

    private static async Task<string[]> ExportAsync(PrometheusTelemetry telemetry)
    {
        using var stream = new MemoryStream();
        await telemetry.Registry.CollectAndExportAsTextAsync(stream, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n').Where(l => l.StartsWith("redoubt_", StringComparison.Ordinal)).ToArray();
    }

    private static double? Value(string[] lines, string series) =>
        lines.FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal)) is { } line ? double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture) : null;

    private static readonly string[] BackupFamilies =
    [
        "redoubt_backup_scheduled", "redoubt_backups_kept", "redoubt_backup_failing", "redoubt_backup_last_success_timestamp_seconds",
        "redoubt_backup_last_size_bytes", "redoubt_backup_last_duration_seconds", "redoubt_backup_next_timestamp_seconds",
    ];

    private static RedisResource WithBackups(string name, string? schedule, BackupStatus? backup) => new()
    {
        Metadata = new ObjectMeta { Namespace = "shop", Name = name },
        Spec = new RedisSpec { Backup = schedule is null ? null : new BackupSpec { Schedule = schedule } },
        Status = new RedisStatus { Backup = backup },
    };

    [Fact]
    public async Task BackupSeriesSayWhatTheStatusSaysAndGoWithTheResource()
    {
        var telemetry = new PrometheusTelemetry();
        IReadOnlyList<RedisResource> listed =
        [
            WithBackups("cache", "0 3 * * *", new BackupStatus
            {
                Count = 2, Last = "20270115T080000Z", LastTime = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), LastSizeBytes = 4096, LastDurationMs = 1500,
                NextTime = DateTimeOffset.FromUnixTimeSeconds(1_800_086_400), LastFailureTime = DateTimeOffset.FromUnixTimeSeconds(1_800_003_600), LastFailure = "the bucket does not exist",
            }),
            WithBackups("orders", null, null),
        ];
        telemetry.WatchBackups(_ => Task.FromResult(listed));

        var lines = await ExportAsync(telemetry);

        string Cache(string metric) => $"{metric}{{namespace=\"shop\",resource=\"cache\"}}";
        string Orders(string metric) => $"{metric}{{namespace=\"shop\",resource=\"orders\"}}";
        Assert.Equal(new double?[] { 1, 2, 1, 1_800_000_000, 4096, 1.5, 1_800_086_400 }, BackupFamilies.Select(m => Value(lines, Cache(m))));
        Assert.Equal(new double?[] { 0, 0, 0 }, BackupFamilies.Take(3).Select(m => Value(lines, Orders(m))));
        Assert.Null(Value(lines, Orders("redoubt_backup_last_success_timestamp_seconds")));

        listed = [WithBackups("orders", null, null)];
        lines = await ExportAsync(telemetry);

        Assert.DoesNotContain(lines, l => l.Contains("resource=\"cache\"", StringComparison.Ordinal));
        Assert.Equal(0, Value(lines, Orders("redoubt_backups_kept")));
    }

    [Fact]
    public async Task ANodeNoLongerObservedLosesItsSeriesAndTheOthersKeepTheirs()
    {
        var telemetry = new PrometheusTelemetry();
        var resource = telemetry.Resource("shop/cache");
        resource.Observed(Sample("cache", Node("redis-cache-0", 10), Node("redis-cache-1", 11, "replica")));
        resource.Observed(Sample("cache", Node("redis-cache-0", 10)));

        var lines = await ExportAsync(telemetry);

        Assert.Equal(1, Value(lines, "redoubt_node_up{namespace=\"shop\",resource=\"cache\",node=\"redis-cache-0\",zone=\"gland\"}"));
        Assert.DoesNotContain(lines, l => l.Contains("redis-cache-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AResourceThatIsGoneLosesEverySeriesAndAnotherKeepsItsOwn()
    {
        var telemetry = new PrometheusTelemetry();
        telemetry.Resource("shop/cache").Observed(Sample("cache", Node("redis-cache-0", 10)));
        telemetry.Resource("shop/cache").FailedOver(new FailoverRecord { DurationMs = 250, Cause = "planned switchover" });
        telemetry.Resource("shop/cache").Healed(new AttachReplica("redis-cache-1", "127.0.0.1:1", "127.0.0.1:2", "parked"));
        telemetry.Resource("shop/orders").Observed(Sample("orders", Node("redis-orders-0", 20)));

        telemetry.ResourceGone("shop/cache");
        var lines = await ExportAsync(telemetry);

        Assert.DoesNotContain(lines, l => l.Contains("resource=\"cache\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("redoubt_resource_phase{namespace=\"shop\",resource=\"orders\",phase=\"Ready\"} 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailoversCountAsMasterChangesAndLandInTheHistogramOfTheirCause()
    {
        var telemetry = new PrometheusTelemetry();
        var resource = telemetry.Resource("shop/cache");
        var before = await ExportAsync(telemetry);

        resource.FailedOver(new FailoverRecord { DurationMs = 180, Cause = "master redis-cache-0 exited (signal 9)" });
        resource.FailedOver(new FailoverRecord { DurationMs = 2500, Cause = "planned switchover" });
        var after = await ExportAsync(telemetry);

        Assert.Equal(0, Value(before, "redoubt_resource_master_changes_total{namespace=\"shop\",resource=\"cache\"}"));
        Assert.Equal(0, Value(before, "redoubt_resource_failover_duration_seconds_count{namespace=\"shop\",resource=\"cache\",cause=\"exit\"}"));
        Assert.Equal(2, Value(after, "redoubt_resource_master_changes_total{namespace=\"shop\",resource=\"cache\"}"));
        Assert.Equal(1, Value(after, "redoubt_resource_failover_duration_seconds_count{namespace=\"shop\",resource=\"cache\",cause=\"exit\"}"));
        Assert.Equal(0.18, Value(after, "redoubt_resource_failover_duration_seconds_sum{namespace=\"shop\",resource=\"cache\",cause=\"exit\"}"));
        Assert.Equal(1, Value(after, "redoubt_resource_failover_duration_seconds_bucket{namespace=\"shop\",resource=\"cache\",cause=\"exit\",le=\"0.25\"}"));
        Assert.Equal(1, Value(after, "redoubt_resource_failover_duration_seconds_count{namespace=\"shop\",resource=\"cache\",cause=\"switchover\"}"));
        Assert.Equal(0, Value(after, "redoubt_resource_failover_duration_seconds_count{namespace=\"shop\",resource=\"cache\",cause=\"unreachable\"}"));
    }

    [Fact]
    public async Task ANewPidCountsARestartAndRedisCountersStartAgainWithTheProcess()
    {
        var telemetry = new PrometheusTelemetry();
        var resource = telemetry.Resource("shop/cache");
        const string Labels = "{namespace=\"shop\",resource=\"cache\",node=\"redis-cache-0\",zone=\"gland\"}";

        resource.Observed(Sample("cache", Node("redis-cache-0", 10, evicted: 40)));
        var first = await ExportAsync(telemetry);
        resource.Observed(Sample("cache", Node("redis-cache-0", 10, evicted: 45)));
        var grown = await ExportAsync(telemetry);
        resource.Observed(Sample("cache", Node("redis-cache-0", 99, evicted: 2)));
        var restarted = await ExportAsync(telemetry);

        Assert.Equal((0d, 40d), (Value(first, "redoubt_node_restarts_total" + Labels)!.Value, Value(first, "redoubt_node_evicted_keys_total" + Labels)!.Value));
        Assert.Equal((0d, 45d), (Value(grown, "redoubt_node_restarts_total" + Labels)!.Value, Value(grown, "redoubt_node_evicted_keys_total" + Labels)!.Value));
        Assert.Equal((1d, 2d), (Value(restarted, "redoubt_node_restarts_total" + Labels)!.Value, Value(restarted, "redoubt_node_evicted_keys_total" + Labels)!.Value));
    }

    [Fact]
    public async Task RolesAreOneSeriesPerRoleAndASilentNodeHasNeither()
    {
        var telemetry = new PrometheusTelemetry();
        var resource = telemetry.Resource("shop/cache");
        resource.Observed(Sample("cache", Node("redis-cache-0", 10) with { Up = false, Role = null, OffsetBytes = null }));

        var lines = await ExportAsync(telemetry);

        Assert.Equal(0, Value(lines, "redoubt_node_role{namespace=\"shop\",resource=\"cache\",node=\"redis-cache-0\",zone=\"gland\",role=\"master\"}"));
        Assert.Equal(0, Value(lines, "redoubt_node_role{namespace=\"shop\",resource=\"cache\",node=\"redis-cache-0\",zone=\"gland\",role=\"replica\"}"));
        Assert.DoesNotContain(lines, l => l.StartsWith("redoubt_node_replication_offset_bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheQueueIsReadWhenMetricsAreCollected()
    {
        var telemetry = new PrometheusTelemetry();
        var depth = 3;
        telemetry.WatchQueue(() => depth);

        var three = await ExportAsync(telemetry);
        depth = 7;
        var seven = await ExportAsync(telemetry);

        Assert.Equal(3, Value(three, "redoubt_work_queue_depth"));
        Assert.Equal(7, Value(seven, "redoubt_work_queue_depth"));
    }
}
