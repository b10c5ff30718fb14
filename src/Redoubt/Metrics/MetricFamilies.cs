using Prometheus;

namespace Redoubt.Metrics;

/// <summary>
/// Every metric a control plane exports, in one registry of its own (several control planes in one process never mix).
/// Names follow Prometheus conventions: the <c>redoubt_</c> prefix, base units, <c>_total</c> on counters. The README's
/// "Metrics" section lists the same names; a test checks that the alert rules and the dashboard use only these.
/// </summary>
public sealed class MetricFamilies
{
    public static readonly string[] ResourceLabels = ["namespace", "resource"];
    public static readonly string[] NodeLabels = ["namespace", "resource", "node", "zone"];

    public MetricFamilies(CollectorRegistry registry)
    {
        var f = Prometheus.Metrics.WithCustomRegistry(registry);
        Gauge NodeGauge(string name, string help) => f.CreateGauge(name, help, NodeLabels);
        Gauge ResourceGauge(string name, string help, params string[] extra) => f.CreateGauge(name, help, [.. ResourceLabels, .. extra]);

        NodeUp = NodeGauge("redoubt_node_up", "1 when the Redis node answered the last pass, 0 when it did not.");
        NodeRole = f.CreateGauge("redoubt_node_role", "1 for the role the Redis node reports (master or replica), 0 for the other; both 0 when it did not answer.", [.. NodeLabels, "role"]);
        NodeRestarts = f.CreateCounter("redoubt_node_restarts_total", "Times the Redis node ran as a new process (a new pid, or a new start time) since the control plane started.", NodeLabels);
        ReplicationOffset = NodeGauge("redoubt_node_replication_offset_bytes", "master_repl_offset: for a master what it has written, for a replica what it has applied.");
        LagBytes = NodeGauge("redoubt_node_replication_lag_bytes", "How far a replica of the master is behind it in bytes (0 on the master); absent for a replica of no known master.");
        LagSeconds = NodeGauge("redoubt_node_replication_lag_seconds", "Seconds since a replica last acknowledged the master, as the master's INFO says (0 on the master).");
        MasterLinkUp = NodeGauge("redoubt_node_master_link_up", "For a replica: 1 when its link to its master is up (and it is not parked), 0 when not; absent on a master.");
        ConnectedReplicas = NodeGauge("redoubt_node_connected_replicas", "Replicas connected to the node (connected_slaves).");
        MemoryUsed = NodeGauge("redoubt_node_memory_used_bytes", "used_memory of the Redis node.");
        MemoryMax = NodeGauge("redoubt_node_memory_max_bytes", "maxmemory of the Redis node; 0 means no limit.");
        Keys = NodeGauge("redoubt_node_keys", "Keys in all databases of the Redis node.");
        EvictedKeys = f.CreateCounter("redoubt_node_evicted_keys_total", "Keys evicted for maxmemory (evicted_keys; starts again from 0 when the process restarts).", NodeLabels);
        ExpiredKeys = f.CreateCounter("redoubt_node_expired_keys_total", "Keys removed because they expired (expired_keys; starts again from 0 when the process restarts).", NodeLabels);
        OpsPerSecond = NodeGauge("redoubt_node_ops_per_second", "Commands per second the Redis node processes (instantaneous_ops_per_sec).");
        LastSave = NodeGauge("redoubt_node_last_save_timestamp_seconds", "When the node's last snapshot succeeded (rdb_last_save_time, Unix seconds).");
        LastSaveSuccess = NodeGauge("redoubt_node_last_save_success", "1 when the node's last snapshot (BGSAVE) succeeded, 0 when it failed.");
        AofEnabled = NodeGauge("redoubt_node_aof_enabled", "1 when the node writes an append-only file.");
        AofWriteSuccess = NodeGauge("redoubt_node_aof_write_success", "1 when the node's last append-only file write succeeded, 0 when it failed.");

        SentinelUp = NodeGauge("redoubt_sentinel_up", "1 when the Sentinel answered the last pass.");
        SentinelMonitoring = NodeGauge("redoubt_sentinel_monitoring", "1 when the Sentinel monitors the master the resource's status names.");

        Phase = ResourceGauge("redoubt_resource_phase", "1 for the resource's phase, 0 for every other phase.", "phase");
        Condition = ResourceGauge("redoubt_resource_condition", "1 when the status condition is True, 0 otherwise.", "condition");
        MasterPresent = ResourceGauge("redoubt_resource_master_present", "1 when the resource has a master the Sentinels agree on and that answers as master.");
        SentinelsMonitoring = ResourceGauge("redoubt_resource_sentinels_monitoring", "Sentinels that answer and monitor the resource's master.");
        SentinelQuorum = ResourceGauge("redoubt_resource_sentinel_quorum", "Sentinels that must agree the master is down before they fail over.");
        UnreplicatedBytes = ResourceGauge("redoubt_resource_unreplicated_bytes", "Bytes the master acknowledged that no linked replica has applied yet: the writes a failover now could lose.");
        MasterChanges = f.CreateCounter("redoubt_resource_master_changes_total", "Changes of master (failovers and switchovers) recorded since the control plane started.", ResourceLabels);
        FailoverDuration = f.CreateHistogram("redoubt_resource_failover_duration_seconds", "From the master's loss (or a switchover's start) to a new master, by cause: exit, unreachable (hang or partition), switchover.",
            [.. ResourceLabels, "cause"], new HistogramConfiguration { Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60] });
        HealActions = f.CreateCounter("redoubt_resource_heal_actions_total", "Heal actions carried out by a pass, by kind of action.", [.. ResourceLabels, "action"]);

        BackupScheduled = ResourceGauge("redoubt_backup_scheduled", "1 when spec.backup.schedule takes backups of the resource.");
        BackupsKept = ResourceGauge("redoubt_backups_kept", "Good backups of the resource kept where its backups go (directory or bucket).");
        BackupFailing = ResourceGauge("redoubt_backup_failing", "1 while the last scheduled backup failed (it is tried again a minute later), 0 otherwise.");
        BackupLastSuccess = ResourceGauge("redoubt_backup_last_success_timestamp_seconds", "When the newest good backup was taken (Unix seconds); absent without one.");
        BackupLastSize = ResourceGauge("redoubt_backup_last_size_bytes", "Size of the newest good backup's snapshot.");
        BackupLastDuration = ResourceGauge("redoubt_backup_last_duration_seconds", "How long the newest good backup took: the snapshot's transfer, its check and its upload.");
        BackupNext = ResourceGauge("redoubt_backup_next_timestamp_seconds", "When the schedule takes the next backup (Unix seconds); absent without a schedule.");
        PassDuration = f.CreateHistogram("redoubt_reconcile_duration_seconds", "How long each reconcile pass of the control loop took.",
            new HistogramConfiguration { Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        PassErrors = f.CreateCounter("redoubt_reconcile_errors_total", "Reconcile passes that failed (and were retried with backoff).");
        QueueDepth = f.CreateGauge("redoubt_work_queue_depth", "Resources waiting for a reconcile pass (not counting those waiting for their next scheduled pass).");
    }

    public Gauge NodeUp { get; }
    public Gauge NodeRole { get; }
    public Counter NodeRestarts { get; }
    public Gauge ReplicationOffset { get; }
    public Gauge LagBytes { get; }
    public Gauge LagSeconds { get; }
    public Gauge MasterLinkUp { get; }
    public Gauge ConnectedReplicas { get; }
    public Gauge MemoryUsed { get; }
    public Gauge MemoryMax { get; }
    public Gauge Keys { get; }
    public Counter EvictedKeys { get; }
    public Counter ExpiredKeys { get; }
    public Gauge OpsPerSecond { get; }
    public Gauge LastSave { get; }
    public Gauge LastSaveSuccess { get; }
    public Gauge AofEnabled { get; }
    public Gauge AofWriteSuccess { get; }
    public Gauge SentinelUp { get; }
    public Gauge SentinelMonitoring { get; }
    public Gauge Phase { get; }
    public Gauge Condition { get; }
    public Gauge MasterPresent { get; }
    public Gauge SentinelsMonitoring { get; }
    public Gauge SentinelQuorum { get; }
    public Gauge UnreplicatedBytes { get; }
    public Counter MasterChanges { get; }
    public Histogram FailoverDuration { get; }
    public Counter HealActions { get; }
    public Gauge BackupScheduled { get; }
    public Gauge BackupsKept { get; }
    public Gauge BackupFailing { get; }
    public Gauge BackupLastSuccess { get; }
    public Gauge BackupLastSize { get; }
    public Gauge BackupLastDuration { get; }
    public Gauge BackupNext { get; }
    public Histogram PassDuration { get; }
    public Counter PassErrors { get; }
    public Gauge QueueDepth { get; }

    /// <summary>The families that say what a resource's status says of its backups.</summary>
    public Gauge[] BackupGauges => [BackupScheduled, BackupsKept, BackupFailing, BackupLastSuccess, BackupLastSize, BackupLastDuration, BackupNext];

    /// <summary>Removes, from every family that carries a resource's labels first, the series <paramref name="match"/> takes.</summary>
    public void RemoveSeries(Func<string[], bool> match)
    {
        Gauge[] gauges = [NodeUp, NodeRole, ReplicationOffset, LagBytes, LagSeconds, MasterLinkUp, ConnectedReplicas, MemoryUsed, MemoryMax, Keys,
            OpsPerSecond, LastSave, LastSaveSuccess, AofEnabled, AofWriteSuccess, SentinelUp, SentinelMonitoring, Phase, Condition, MasterPresent,
            SentinelsMonitoring, SentinelQuorum, UnreplicatedBytes, .. BackupGauges];
        foreach (var gauge in gauges)
        {
            RemoveWhere(gauge, match);
        }

        foreach (var counter in new[] { NodeRestarts, EvictedKeys, ExpiredKeys, MasterChanges, HealActions })
        {
            RemoveWhere(counter, match);
        }

        RemoveWhere(FailoverDuration, match);
    }

    private static void RemoveWhere<TChild>(Collector<TChild> family, Func<string[], bool> match)
        where TChild : ChildBase
    {
        foreach (var labels in family.GetAllLabelValues().Where(match).ToList())
        {
            family.RemoveLabelled(labels);
        }
    }
}
