using System.Diagnostics;
using Redoubt.Core.Access;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Access;

/// <summary>
/// Someone with the admin password changes who may log in; Redoubt notices within seconds, says so in the status
/// and the events (never with the password), and puts it back.
/// </summary>
public sealed class AccessDriftTests(ITestOutputHelper output)
{
    private const string Resource = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: drift
        spec:
          replicas: 3
        """;

    private static readonly TimeSpan RepairDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AChangedApplicationPasswordIsRepairedWithinFiveSecondsAndTheStatusIsNotReadyMeanwhile()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Resource);
        var status = (await cluster.WaitReadyAsync("drift")).Status!;
        var keep = new List<ConnectionMultiplexer>();
        try
        {
            var admin = await cluster.DirectAsync("drift", status.Master!, keep);

            // Every status is watched from before the attack until Ready again: one saying the master is available
            // while the application is refused would be the lie this test is about. The repair can come before the
            // test's own first login (the access watch looks every second, a pass repairs at once), so the lock-out
            // is proven by what Redoubt reports (LoginRefused with WRONGPASS, and a repair of the password), not by
            // a refused login of the test's.
            using var stopWatching = new CancellationTokenSource();
            var watching = WatchStatusesAsync(cluster, stopWatching.Token);
            await admin.ExecuteAsync("CONFIG", "SET", "requirepass", "hijacked");
            var changed = Stopwatch.StartNew();
            while (!await ApplicationGetsInAsync(cluster, status.Master!))
            {
                Assert.True(changed.Elapsed < RepairDeadline, $"the application could not log in for {changed.Elapsed.TotalSeconds:F1} s after CONFIG SET requirepass");
            }

            var loggedIn = changed.Elapsed;
            var after = (await cluster.WaitUntilAsync("drift", r => r.Status?.Phase == Phases.Ready && r.Status.Events.Any(e => e.Reason == nameof(Core.Healing.RepairUsers)), "Ready again, with the repair in the events")).Status!;
            await stopWatching.CancelAsync();
            var statuses = await watching;

            output.WriteLine($"the application logged in again after {loggedIn.TotalMilliseconds:F0} ms");
            Assert.Contains(statuses, s => s.Phase != Phases.Ready && s.Conditions.Any(c => c.Type == "MasterAvailable" && c.Status == "False" && c.Reason == "LoginRefused"));
            Assert.Contains(after.Events, e => e.Reason == "LoginRefused" && e.Message.Contains("WRONGPASS", StringComparison.Ordinal));
            var repair = after.Events.First(e => e.Reason == nameof(Core.Healing.RepairUsers));
            Assert.Contains("default: its password changed", repair.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(after.Events, e => e.Message.Contains("hijacked", StringComparison.Ordinal));
            Assert.DoesNotContain(after.Conditions, c => c.Message.Contains("hijacked", StringComparison.Ordinal));
            Assert.Equal(status.Nodes.Select(n => n.Pid), after.Nodes.Select(n => n.Pid));
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("redis", "redoubt-sentinel", "off")]
    [InlineData("redis", "redoubt-replication", "+@all")]
    [InlineData("redis", "intruder", "on")]
    [InlineData("sentinel", "default", "+@all")]
    [InlineData("sentinel", "redoubt-sentinel", "resetpass")]
    public async Task AChangedOrAddedUserIsPutBackWithinFiveSeconds(string where, string user, string rule)
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Resource);
        var status = (await cluster.WaitReadyAsync("drift")).Status!;
        var address = where == "redis" ? status.Nodes.First(n => n.Role == "replica").Address : status.Sentinels[1];
        await using var admin = await cluster.AdminOnAsync("drift", address, sentinel: where == "sentinel");
        var server = admin.GetServer(address);
        var before = Users(await server.ExecuteAsync("ACL", "LIST"));

        await server.ExecuteAsync("ACL", "SETUSER", user, rule);
        var changed = Stopwatch.StartNew();
        Assert.NotEqual(before, Users(await server.ExecuteAsync("ACL", "LIST")));
        while (Users(await server.ExecuteAsync("ACL", "LIST")) != before)
        {
            Assert.True(changed.Elapsed < RepairDeadline, $"ACL SETUSER {user} {rule} on {address} was not undone within {RepairDeadline.TotalSeconds:F0} s");
            await Task.Delay(50);
        }

        output.WriteLine($"repaired after {changed.ElapsedMilliseconds} ms");
        var after = (await cluster.WaitUntilAsync("drift", r => r.Status?.Phase == Phases.Ready && r.Status.Events.Any(e => e.Reason == nameof(Core.Healing.RepairUsers)), "Ready again, with the repair in the events")).Status!;
        Assert.Contains(after.Events, e => e.Reason == nameof(Core.Healing.RepairUsers) && e.Message.Contains(user, StringComparison.Ordinal));
    }

    /// <summary>Every status the control plane reports, read every 20 ms until cancelled.</summary>
    private static async Task<List<RedisStatus>> WatchStatusesAsync(LocalCluster cluster, CancellationToken cancellationToken)
    {
        var seen = new List<RedisStatus>();
        while (!cancellationToken.IsCancellationRequested)
        {
            if ((await cluster.ControlPlane.GetAsync("default", "drift", CancellationToken.None))?.Status is { } status)
            {
                seen.Add(status);
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return seen;
    }

    /// <summary>ACL LIST as Redoubt reads it: flags it never sets (sanitize-payload, which ACL SETUSER reset adds) left out.</summary>
    private static string Users(RedisResult list) =>
        string.Join('\n', AclEntry.ParseAll(((RedisResult[])list!).Select(l => (string?)l ?? "")).Values
            .Select(u => $"{u.Name} {(u.Enabled ? "on" : "off")} {(u.NoPass ? "nopass" : "")} {string.Join(' ', u.PasswordHashes)} {u.Rules}")
            .Order(StringComparer.Ordinal));

    /// <summary>
    /// Whether an application can log in to the node with the password `credentials` gives, on a fresh connection. A
    /// refused login costs the whole connect timeout, so it is short: the loop above measures the repair to within it.
    /// </summary>
    private static async Task<bool> ApplicationGetsInAsync(LocalCluster cluster, string address)
    {
        var credentials = await cluster.ControlPlane.GetCredentialsAsync("default", "drift", CancellationToken.None);
        using var log = new StringWriter();
        await using var client = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { address },
            Password = credentials!.Password,
            AbortOnConnectFail = false,
            ConnectTimeout = 300,
            ConnectRetry = 0,
        }, log);
        if (!client.IsConnected)
        {
            return false;
        }

        try
        {
            await client.GetDatabase().PingAsync();
            return true;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }
}
