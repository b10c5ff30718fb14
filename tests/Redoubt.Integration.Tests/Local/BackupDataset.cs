using StackExchange.Redis;

namespace Redoubt.Integration.Tests.Local;

/// <summary>The data the backup tests back up and restore: every type, TTLs, a second database and a key name that is not UTF-8.</summary>
internal static class BackupDataset
{
    private static readonly byte[] BinaryKey = [0xff, 0xfe, 0x00, 0x41];

    /// <summary>Writes keys of every type, some with a TTL, one in database 3 and one whose name is not UTF-8; returns how many keys.</summary>
    public static async Task<long> WriteAsync(ConnectionMultiplexer client)
    {
        var db = client.GetDatabase();
        var batch = new List<Task>();
        for (var i = 0; i < 200; i++)
        {
            batch.Add(db.StringSetAsync($"string:{i}", $"value-{i}"));
        }

        for (var i = 0; i < 20; i++)
        {
            batch.Add(db.HashSetAsync($"hash:{i}", [new HashEntry("a", i), new HashEntry("b", "two")]));
            batch.Add(db.ListRightPushAsync($"list:{i}", ["x", "y", (RedisValue)i]));
            batch.Add(db.SetAddAsync($"set:{i}", ["p", "q", (RedisValue)i]));
            batch.Add(db.SortedSetAddAsync($"zset:{i}", [new SortedSetEntry("alice", i), new SortedSetEntry("bob", i * 2)]));
            batch.Add(db.StreamAddAsync($"stream:{i}", "field", i));
            batch.Add(db.StringSetAsync($"ttl:{i}", "expiring", TimeSpan.FromSeconds(600)));
        }

        batch.Add(db.StringSetAsync(BinaryKey, "binary"));
        batch.Add(client.GetDatabase(3).StringSetAsync("other-db", "three"));
        await Task.WhenAll(batch);
        return 200 + (20 * 6) + 2;
    }

    public static async Task AssertAsync(IDatabase db, IDatabase db3)
    {
        Assert.Equal("value-0", (string?)await db.StringGetAsync("string:0"));
        Assert.Equal("value-199", (string?)await db.StringGetAsync("string:199"));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i, (int)await db.HashGetAsync($"hash:{i}", "a"));
            Assert.Equal(["x", "y", i.ToString(System.Globalization.CultureInfo.InvariantCulture)], (await db.ListRangeAsync($"list:{i}")).Select(v => (string)v!));
            Assert.True(await db.SetContainsAsync($"set:{i}", i));
            Assert.Equal(i * 2, await db.SortedSetScoreAsync($"zset:{i}", "bob"));
            Assert.Equal(1, await db.StreamLengthAsync($"stream:{i}"));
            var ttl = await db.KeyTimeToLiveAsync($"ttl:{i}");
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(600));
        }

        Assert.Null(await db.KeyTimeToLiveAsync("string:0"));
        Assert.Equal("binary", (string?)await db.StringGetAsync(BinaryKey));
        Assert.Equal("three", (string?)await db3.StringGetAsync("other-db"));
    }
}
