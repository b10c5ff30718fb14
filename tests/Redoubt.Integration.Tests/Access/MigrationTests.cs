using Redoubt.Core.Access;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Access;

/// <summary>
/// A resource whose nodes run as a version before ACL users left them (one password, on the default user, for
/// clients, replicas and Sentinels) gets its users when a new control plane adopts it: at run time, no node
/// restarted, no acknowledged write lost, and the application's password unchanged.
/// </summary>
public sealed class MigrationTests(ITestOutputHelper output)
{
    private const string Resource = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: old
        spec:
          replicas: 3
        """;

    [Fact]
    public async Task AResourceWithOnePasswordGetsItsUsersWithoutARestartOrALostWrite()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Resource);
        var before = (await cluster.WaitReadyAsync("old")).Status!;
        var credentials = (await cluster.ControlPlane.GetCredentialsAsync("default", "old", CancellationToken.None))!;
        await using var writer = await cluster.StartWriterAsync("old");
        await writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(10));

        // The control plane stops (its nodes keep running), and every node is taken back to one password.
        await cluster.StopControlPlaneAsync(stopNodes: false);
        foreach (var node in before.Nodes)
        {
            await ToOnePasswordAsync(cluster, node.Address, sentinel: false,
            [
                ["CONFIG", "SET", "masteruser", "", "masterauth", credentials.Password!],
                ["ACL", "SETUSER", "default", "reset", "on", ">" + credentials.Password, "~*", "&*", "+@all"],
                // Sentinels and replicas come back as the default user, as they were.
                ["CLIENT", "KILL", "USER", AclUsers.Sentinel],
                ["CLIENT", "KILL", "USER", AclUsers.Replication],
                ["ACL", "DELUSER", AclUsers.Sentinel, AclUsers.Replication, AclUsers.Admin],
            ]);
        }

        foreach (var sentinel in before.SentinelNodes)
        {
            await ToOnePasswordAsync(cluster, sentinel.Address, sentinel: true,
            [
                ["SENTINEL", "SET", "mymaster", "auth-user", "", "auth-pass", credentials.Password!],
                ["SENTINEL", "CONFIG", "SET", "sentinel-user", ""],
                ["SENTINEL", "CONFIG", "SET", "sentinel-pass", credentials.Password!],
                ["ACL", "SETUSER", "default", "reset", "on", ">" + credentials.Password, "&*", "+@all"],
                ["CLIENT", "KILL", "USER", AclUsers.Sentinel],
                ["ACL", "DELUSER", AclUsers.Sentinel, AclUsers.Admin],
            ]);
        }

        foreach (var file in (string[])["admin-password", "replication-password", "sentinel-password"])
        {
            File.Delete(Path.Combine(cluster.ResourceFolder("old"), file));
        }

        await writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(10));

        // A new control plane (as after an upgrade) adopts the nodes and adds the users.
        await cluster.StartControlPlaneAsync();
        var after = (await cluster.WaitUntilAsync("old", r => r.Status?.Phase == Phases.Ready && r.Status.Events.Any(e => e.Reason == nameof(Core.Healing.RepairUsers) && e.Message.Contains("default", StringComparison.Ordinal)), "Ready with the application user limited")).Status!;
        await writer.WaitForMoreAsync(300, TimeSpan.FromSeconds(10));
        await writer.StopAsync();

        Assert.Equal(before.Nodes.Select(n => n.Pid), after.Nodes.Select(n => n.Pid));
        Assert.Equal(before.SentinelNodes.Select(n => n.Pid), after.SentinelNodes.Select(n => n.Pid));
        Assert.Equal(credentials.Password, (await cluster.ControlPlane.GetCredentialsAsync("default", "old", CancellationToken.None))!.Password);
        await Local.SelfHealingTests.AssertOneMasterAndNothingLostAsync(cluster, "old", after, writer);
        output.WriteLine($"{writer.Failures} write attempts failed during the migration");

        // The application is now limited, and the replicas and Sentinels log in as their own users.
        await using var app = await ApplicationUserTests.ApplicationOnNodeAsync(cluster, after.Master!, "old");
        var refused = await Assert.ThrowsAsync<RedisServerException>(() => app.GetServer(after.Master!).ExecuteAsync("CONFIG", "SET", "maxmemory", "1"));
        Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);
        var keep = new List<ConnectionMultiplexer>();
        try
        {
            var master = await cluster.DirectAsync("old", after.Master!, keep);
            var clients = (string?)await master.ExecuteAsync("CLIENT", "LIST") ?? "";
            Assert.DoesNotContain(clients.Split('\n'), l => l.Contains("user=default", StringComparison.Ordinal) && (l.Contains("flags=S", StringComparison.Ordinal) || l.Contains("name=sentinel-", StringComparison.Ordinal)));
            Assert.Contains(clients.Split('\n'), l => l.Contains("flags=S", StringComparison.Ordinal) && l.Contains($"user={AclUsers.Replication}", StringComparison.Ordinal));
            Assert.Contains(clients.Split('\n'), l => l.Contains("name=sentinel-", StringComparison.Ordinal) && l.Contains($"user={AclUsers.Sentinel}", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }
    }

    private static async Task ToOnePasswordAsync(LocalCluster cluster, string address, bool sentinel, string[][] commands)
    {
        await using var admin = await cluster.AdminOnAsync("old", address, sentinel);
        var server = admin.GetServer(address);
        foreach (var command in commands)
        {
            try
            {
                await server.ExecuteAsync(command[0], [.. command.Skip(1)]);
            }
            catch (RedisConnectionException) when (command[0] == "ACL")
            {
                // ACL DELUSER of the admin user closes this very connection.
            }
        }
    }
}
