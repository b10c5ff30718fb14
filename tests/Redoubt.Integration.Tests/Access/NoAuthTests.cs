using Redoubt.Core.Access;
using Redoubt.Integration.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Access;

/// <summary>With authEnabled: false applications need no password, but get no more rights, and Redoubt's own users keep theirs.</summary>
public sealed class NoAuthTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ApplicationsConnectWithoutAPasswordButCannotAdministerNorLogInAsRedoubt()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync("""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: open
            spec:
              replicas: 2
              authEnabled: false
            """);
        var status = (await cluster.WaitReadyAsync("open")).Status!;
        Assert.Null((await cluster.ControlPlane.GetCredentialsAsync("default", "open", CancellationToken.None))!.Password);

        await using var client = await cluster.ConnectAsync("open");
        await client.GetDatabase().StringSetAsync("open:k", "v");
        await using var app = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { status.Master! }, AllowAdmin = true, AbortOnConnectFail = false, ConnectTimeout = 2000 });
        var server = app.GetServer(status.Master!);
        Assert.Equal("v", (string?)await app.GetDatabase().StringGetAsync("open:k"));
        var refused = await Assert.ThrowsAsync<RedisServerException>(() => server.ExecuteAsync("CONFIG", "SET", "maxmemory", "1"));
        Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);
        refused = await Assert.ThrowsAsync<RedisServerException>(() => server.ExecuteAsync("REPLICAOF", "NO", "ONE"));
        Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);

        foreach (var address in status.Nodes.Select(n => n.Address).Concat(status.Sentinels))
        {
            await using var admin = await cluster.AdminOnAsync("open", address, sentinel: status.Sentinels.Contains(address));
            var users = AclEntry.ParseAll(((RedisResult[])(await admin.GetServer(address).ExecuteAsync("ACL", "LIST"))!).Select(l => (string?)l ?? ""));
            Assert.True(users[AclUsers.Application].NoPass, $"{address}: the application user has a password");
            foreach (var own in users.Values.Where(u => u.Name != AclUsers.Application))
            {
                Assert.False(own.NoPass, $"{address}: {own.Name} needs no password");
                Assert.Single(own.PasswordHashes);
            }
        }
    }
}
