using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Redoubt.Client.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Client.Tests.Failover;

/// <summary>A client from the container, configured as an application configures it, against a real Redoubt resource.</summary>
public sealed class ContainerConnectionTests(ITestOutputHelper output)
{
    private static ServiceProvider Container(LocalResource resource)
    {
        var values = new Dictionary<string, string?>
        {
            ["Redis:MasterName"] = resource.Credentials.MasterName,
            ["Redis:PasswordFile"] = resource.PasswordFile,
        };
        for (var i = 0; i < resource.Credentials.Sentinels.Count; i++)
        {
            values[$"Redis:Sentinels:{i}"] = resource.Credentials.Sentinels[i];
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddRedoubtRedis(configuration.GetSection("Redis")).BuildServiceProvider();
    }

    [Fact]
    public async Task AClientFromTheContainerWritesThroughAMasterKillAndFindsTheNewMaster()
    {
        await using var resource = await LocalResource.StartAsync(output, "di-failover");
        await using var container = Container(resource);
        var redis = container.GetRequiredService<IConnectionMultiplexer>();
        var db = redis.GetDatabase();
        var before = (await resource.WaitUntilAsync(r => r.Status?.Master is not null, "a master", TimeSpan.FromSeconds(10))).Status!;
        var oldMaster = before.Nodes.Single(n => n.Role == "master");

        var acknowledged = await WriteUntilAsync(db, "seq", 0, TimeSpan.FromSeconds(10), _ => false);
        Assert.True(acknowledged > 0, "no write was acknowledged before the kill: check that the password file and Sentinels reached the client");

        using (var master = Process.GetProcessById(oldMaster.Pid!.Value))
        {
            master.Kill(); // SIGKILL on Unix: no shutdown, no last words to the replicas.
        }

        var clock = Stopwatch.StartNew();
        // Keep writing until the client writes to a master other than the killed one.
        var afterKill = await WriteUntilAsync(db, "seq", acknowledged, TimeSpan.FromSeconds(30), _ => !SameAddress(PrimaryOf(redis), oldMaster.Address));
        output.WriteLine($"writes acknowledged: {acknowledged} before the kill, {afterKill - acknowledged} after; a new master took writes {clock.ElapsedMilliseconds} ms after the kill");

        var after = (await resource.WaitUntilAsync(r => r.Status?.Master is { } m && m != oldMaster.Address, "a new master in the status", TimeSpan.FromSeconds(30))).Status!;
        Assert.True(SameAddress(PrimaryOf(redis), after.Master!), $"the client writes to {PrimaryOf(redis)}, the resource's master is {after.Master}");
        // Every acknowledged write survived: the counter is at least the number of increments the client saw succeed.
        Assert.True((long)await db.StringGetAsync("seq") >= afterKill, "an acknowledged increment was lost across the failover");
        Assert.Same(redis, container.GetRequiredService<IConnectionMultiplexer>());
        Assert.Same(container.GetRequiredService<RedoubtConnection>().Multiplexer, redis);
    }

    /// <summary>Increments <paramref name="key"/> (retrying what fails fast while there is no master) until <paramref name="done"/>; returns the count acknowledged.</summary>
    private static async Task<long> WriteUntilAsync(IDatabase db, string key, long acknowledged, TimeSpan limit, Func<long, bool> done)
    {
        var clock = Stopwatch.StartNew();
        var last = acknowledged;
        while (clock.Elapsed < limit)
        {
            try
            {
                await db.StringIncrementAsync(key);
                last++;
                if (done(last) || (acknowledged == 0 && last >= 200))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or RedisServerException)
            {
                // No master just now (fail fast), or the demoted one answering READONLY: the next try goes where the client points.
                await Task.Delay(5);
            }
        }

        Assert.Fail($"writes did not reach the end condition within {limit.TotalSeconds:F0} s ({last - acknowledged} acknowledged): check that the client followed +switch-master");
        return last;
    }

    private static EndPoint? PrimaryOf(IConnectionMultiplexer redis) =>
        redis.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica && s.ServerType != ServerType.Sentinel)?.EndPoint;

    private static bool SameAddress(EndPoint? endpoint, string address) =>
        endpoint is not null && string.Equals(Format(endpoint), address, StringComparison.Ordinal);

    private static string Format(EndPoint endpoint) => endpoint switch
    {
        IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "",
    };
}
