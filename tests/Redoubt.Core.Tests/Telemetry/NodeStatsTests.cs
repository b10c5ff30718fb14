using Redoubt.Core.Observation;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Tests.Telemetry;

/// <summary>The figures metrics take from the one INFO call of a pass.</summary>
public sealed class NodeStatsTests
{
    [Fact]
    public void MemoryStatsAndPersistenceSectionsAreRead()
    {
        var info = InfoParser.Parse(
            "# Memory\r\nused_memory:1048576\r\nmaxmemory:268435456\r\n# Stats\r\nevicted_keys:12\r\nexpired_keys:34\r\ninstantaneous_ops_per_sec:567\r\n"
            + "# Persistence\r\nrdb_last_save_time:1900000000\r\naof_enabled:1\r\naof_last_write_status:err\r\n");

        var stats = NodeStats.From(info);

        Assert.Equal(new NodeStats
        {
            UsedMemoryBytes = 1048576, MaxMemoryBytes = 268435456, EvictedKeys = 12, ExpiredKeys = 34, OpsPerSecond = 567,
            LastSaveUnixSeconds = 1900000000, AofEnabled = true, AofWriteOk = false,
        }, stats);
    }

    [Fact]
    public void WithoutAofItsWritesAreNotFailing()
    {
        var stats = NodeStats.From(InfoParser.Parse("aof_enabled:0\r\n"));

        Assert.False(stats.AofEnabled);
        Assert.True(stats.AofWriteOk);
    }
}
