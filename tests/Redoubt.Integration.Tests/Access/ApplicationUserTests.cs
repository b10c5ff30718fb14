using Redoubt.Integration.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Access;

/// <summary>
/// What an application can and cannot do with the credentials `redoubt credentials` gives: the attacks of the trust
/// issue are refused on the master, on a replica and on the Sentinels; data, pub/sub, scripting and finding the master
/// through the Sentinels work.
/// </summary>
public sealed class ApplicationUserTests(ITestOutputHelper output)
{
    private const string Resource = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: trust
        spec:
          replicas: 3
        """;

    /// <summary>Commands an application must never run, on a Redis node.</summary>
    private static readonly string[][] Attacks =
    [
        ["CONFIG", "SET", "requirepass", "hijacked"],
        ["CONFIG", "SET", "maxmemory", "1"],
        ["CONFIG", "GET", "masterauth"],
        ["SHUTDOWN", "NOSAVE"],
        ["REPLICAOF", "NO", "ONE"],
        ["SLAVEOF", "127.0.0.1", "1"],
        ["FAILOVER"],
        ["CLIENT", "PAUSE", "10000"],
        ["CLIENT", "KILL", "TYPE", "normal"],
        ["CLIENT", "LIST"],
        ["ACL", "SETUSER", "intruder", "on", ">x", "~*", "+@all"],
        ["ACL", "LIST"],
        ["DEBUG", "SLEEP", "0"],
        ["MODULE", "LIST"],
        ["MONITOR"],
        ["SAVE"],
        ["BGSAVE"],
    ];

    [Fact]
    public async Task TheApplicationIsRefusedEveryAdministrativeCommandButKeepsDataPubSubAndScripting()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Resource);
        var status = (await cluster.WaitReadyAsync("trust")).Status!;
        var replica = status.Nodes.First(n => n.Role == "replica");

        await using var client = await cluster.ConnectAsync("trust");
        var db = client.GetDatabase();
        await using var master = await ApplicationOnNodeAsync(cluster, status.Master!);
        await using var onReplica = await ApplicationOnNodeAsync(cluster, replica.Address);

        foreach (var attack in Attacks)
        {
            await AssertRefusedAsync(master, status.Master!, attack);
            await AssertRefusedAsync(onReplica, replica.Address, attack);
        }

        // Data, scripting, pub/sub and what client libraries ask to find their way.
        await db.StringSetAsync("app:k", "v");
        Assert.Equal("v", (string?)await db.StringGetAsync("app:k"));
        Assert.Equal(2, (long)await db.ScriptEvaluateAsync("return redis.call('INCRBY', KEYS[1], 2)", ["app:n"]));
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.GetSubscriber().SubscribeAsync(RedisChannel.Literal("app:news"), (_, m) => received.TrySetResult(m!));
        await db.PublishAsync(RedisChannel.Literal("app:news"), "hello");
        Assert.Equal("hello", await received.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        var pattern = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.GetSubscriber().SubscribeAsync(RedisChannel.Pattern("app:*"), (_, m) => pattern.TrySetResult(m!));
        await db.PublishAsync(RedisChannel.Literal("app:more"), "again");
        Assert.Equal("again", await pattern.Task.WaitAsync(TimeSpan.FromSeconds(5)));

        // A hello forged on a node's Sentinel channel would send every Sentinel to an address of the sender's choosing.
        var forged = await Assert.ThrowsAsync<RedisServerException>(() => db.PublishAsync(RedisChannel.Literal("__sentinel__:hello"), "127.0.0.1,26379,forged,999,mymaster,127.0.0.1,1,999"));
        Assert.StartsWith("NOPERM", forged.Message, StringComparison.Ordinal);
        var scripted = await Assert.ThrowsAsync<RedisServerException>(() => db.ScriptEvaluateAsync("return redis.call('PUBLISH', '__sentinel__:hello', 'x')"));
        Assert.Contains("publish to the channel", scripted.Message, StringComparison.Ordinal);
        var server = master.GetServer(status.Master!);
        Assert.Contains("role:master", (string?)await server.ExecuteAsync("INFO", "replication") ?? "", StringComparison.Ordinal);
        Assert.Equal("master", (string?)((RedisResult[])(await server.ExecuteAsync("ROLE"))!)[0]);
        await server.ExecuteAsync("CLIENT", "SETNAME", "app");
        Assert.Equal("app", (string?)await server.ExecuteAsync("CLIENT", "GETNAME"));
        await server.ExecuteAsync("FLUSHDB");

        var after = (await cluster.WaitReadyAsync("trust")).Status!;
        Assert.Equal(status.Master, after.Master);
        Assert.Equal(status.Nodes.Select(n => n.Pid), after.Nodes.Select(n => n.Pid));
    }

    [Fact]
    public async Task TheApplicationMayAskTheSentinelsWhereTheMasterIsButChangeNothing()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Resource);
        var status = (await cluster.WaitReadyAsync("trust")).Status!;
        var credentials = await cluster.ControlPlane.GetCredentialsAsync("default", "trust", CancellationToken.None);
        var address = status.Sentinels[0];
        await using var sentinel = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { address },
            Password = credentials!.Password,
            CommandMap = CommandMap.Sentinel,
            TieBreaker = "",
            AllowAdmin = true,
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
        });
        var server = sentinel.GetServer(address);

        var named = (RedisResult[])(await server.ExecuteAsync("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"))!;
        Assert.Equal(status.Master, $"{named[0]}:{named[1]}");
        Assert.Equal(2, ((RedisResult[])(await server.ExecuteAsync("SENTINEL", "SENTINELS", "mymaster"))!).Length);
        Assert.Equal(2, ((RedisResult[])(await server.ExecuteAsync("SENTINEL", "REPLICAS", "mymaster"))!).Length);
        Assert.NotEmpty((RedisResult[])(await server.ExecuteAsync("SENTINEL", "MASTERS"))!);

        string[][] attacks =
        [
            ["SENTINEL", "REMOVE", "mymaster"],
            ["SENTINEL", "MONITOR", "evil", "127.0.0.1", "1", "1"],
            ["SENTINEL", "SET", "mymaster", "down-after-milliseconds", "1"],
            ["SENTINEL", "FAILOVER", "mymaster"],
            ["SENTINEL", "RESET", "*"],
            ["SENTINEL", "CONFIG", "SET", "announce-port", "1"],
            ["SENTINEL", "CONFIG", "GET", "sentinel-pass"],
            ["SENTINEL", "DEBUG", "ping-period", "1"],
            ["SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", "1", "100", "x"],
            ["ACL", "SETUSER", "intruder", "on", ">x", "+@all"],
            ["SHUTDOWN"],
        ];
        foreach (var attack in attacks)
        {
            await AssertRefusedAsync(sentinel, address, attack);
        }

        var after = (await cluster.WaitReadyAsync("trust")).Status!;
        Assert.Equal(status.Master, after.Master);
        Assert.Equal(status.SentinelNodes.Select(s => s.Pid), after.SentinelNodes.Select(s => s.Pid));
    }

    /// <summary>A connection to one node with the application's credentials, admin commands let through by the client so that the server decides.</summary>
    internal static async Task<ConnectionMultiplexer> ApplicationOnNodeAsync(LocalCluster cluster, string address, string name = "trust")
    {
        var credentials = await cluster.ControlPlane.GetCredentialsAsync("default", name, CancellationToken.None);
        return await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { address },
            Password = credentials!.Password,
            AllowAdmin = true,
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            SyncTimeout = 2000,
            AsyncTimeout = 2000,
        });
    }

    private static async Task AssertRefusedAsync(ConnectionMultiplexer client, string address, string[] attack)
    {
        var error = await Assert.ThrowsAsync<RedisServerException>(() => client.GetServer(address).ExecuteAsync(attack[0], [.. attack.Skip(1)]));
        // DEBUG and MODULE are refused before the ACL is consulted (enable-debug-command and enable-module-command are off).
        Assert.True(
            error.Message.StartsWith("NOPERM", StringComparison.Ordinal) || error.Message.Contains("command not allowed", StringComparison.Ordinal),
            $"{string.Join(' ', attack)} on {address}: {error.Message}");
    }
}
