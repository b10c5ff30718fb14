using Redoubt.Core.Redis;

namespace Redoubt.Core.Observation;

/// <summary>What INFO memory, stats and persistence say about a node's load, for metrics: read in the pass's one INFO call.</summary>
public sealed record NodeStats
{
    public long UsedMemoryBytes { get; init; }
    /// <summary>maxmemory; 0 means no limit.</summary>
    public long MaxMemoryBytes { get; init; }
    public long EvictedKeys { get; init; }
    public long ExpiredKeys { get; init; }
    public long OpsPerSecond { get; init; }
    /// <summary>rdb_last_save_time: when the last snapshot succeeded (Unix seconds).</summary>
    public long LastSaveUnixSeconds { get; init; }
    public bool AofEnabled { get; init; }
    public bool AofWriteOk { get; init; } = true;

    public static NodeStats From(IReadOnlyDictionary<string, string> info) => new()
    {
        UsedMemoryBytes = info.Number("used_memory"),
        MaxMemoryBytes = info.Number("maxmemory"),
        EvictedKeys = info.Number("evicted_keys"),
        ExpiredKeys = info.Number("expired_keys"),
        OpsPerSecond = info.Number("instantaneous_ops_per_sec"),
        LastSaveUnixSeconds = info.Number("rdb_last_save_time"),
        AofEnabled = info.Number("aof_enabled") == 1,
        AofWriteOk = info.Text("aof_last_write_status") is null or "ok",
    };
}
