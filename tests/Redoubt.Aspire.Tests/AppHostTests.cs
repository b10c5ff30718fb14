using System.Globalization;
using Aspire.Hosting.Testing;
using Redoubt.Integration.Tests.Infrastructure;
using StackExchange.Redis;

namespace Redoubt.Aspire.Tests;

/// <summary>
/// The example AppHost (examples/aspire/AppHost) under Aspire's test host, with DCP as `dotnet run` starts it: the
/// Redoubt resource becomes healthy, its connection string reaches the master, a write through it survives a kill -9
/// of the master (the connection string names the master endpoint, which follows the promotion), and the nodes stop
/// with the AppHost.
/// </summary>
public sealed class AppHostTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task TheAppHostsRedisIsHealthyFailsOverBehindItsConnectionStringAndStopsWithIt()
    {
        RedisInstallation.Require();
        using var lease = NetworkLease.Take("loopback", 20, 200);
        var network = $"127.{lease.Number}";
        var home = Path.Combine(Path.GetTempPath(), "redoubt-tests", Guid.NewGuid().ToString("N")[..12]);
        using var deadline = new CancellationTokenSource(Limit);
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Redoubt_Examples_AppHost>(
                [$"Redoubt:ZoneNetwork={network}", $"Redoubt:Home={home}", "Redoubt:PortBase=17379"], deadline.Token);
            await using var app = await builder.BuildAsync(deadline.Token);
            await app.StartAsync(deadline.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("cache", deadline.Token);

            var connectionString = await app.GetConnectionStringAsync("cache", deadline.Token);
            Assert.NotNull(connectionString);
            Assert.StartsWith($"{network}.255.1:", connectionString, StringComparison.Ordinal);
            Assert.Contains(",password=", connectionString, StringComparison.Ordinal);

            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 1000;
            options.AllowAdmin = true;
            await using (var redis = await ConnectionMultiplexer.ConnectAsync(options))
            {
                await redis.GetDatabase().StringSetAsync("before", "kept");
                // WAIT: the write is on a replica too before its master dies.
                Assert.True((long)await redis.GetDatabase().ExecuteAsync("WAIT", 1, 5000) >= 1);
                var pid = await PidAsync(redis);
                Assert.True(Signals.Kill(pid), $"could not kill the master (pid {pid})");
            }

            // A fresh connection through the same connection string, as a restarted application would open.
            await WriteAgainAsync(options, deadline.Token);
            await using (var redis = await ConnectionMultiplexer.ConnectAsync(options))
            {
                Assert.Equal("kept", (string?)await redis.GetDatabase().StringGetAsync("before"));
            }

            await app.StopAsync(deadline.Token);
            var left = Signals.RedisProcessesOn(network);
            Assert.True(left.Count == 0, $"Redis processes still run on {network} after the AppHost stopped: {string.Join(", ", left)}");
        }
        finally
        {
            foreach (var pid in Signals.RedisProcessesOn(network))
            {
                Signals.Kill(pid);
            }

            if (Directory.Exists(home))
            {
                Directory.Delete(home, recursive: true);
            }
        }
    }

    private static async Task<int> PidAsync(ConnectionMultiplexer redis)
    {
        var info = await redis.GetServers().Single().InfoAsync("server");
        return int.Parse(info.SelectMany(g => g).Single(p => p.Key == "process_id").Value, CultureInfo.InvariantCulture);
    }

    private static async Task WriteAgainAsync(ConfigurationOptions options, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
                await redis.GetDatabase().StringSetAsync("after", "written");
                return;
            }
            catch (RedisException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>Processes by pid, read from /proc: the test owns nothing of the AppHost's but what it can see there.</summary>
    private static class Signals
    {
        public static bool Kill(int pid)
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
                return true;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }

        /// <summary>The redis-server and redis-sentinel processes whose command line names an address on <paramref name="network"/>.</summary>
        public static List<int> RedisProcessesOn(string network) =>
            [.. Directory.EnumerateDirectories("/proc")
                .Select(d => (Pid: int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var p) ? p : 0, Dir: d))
                .Where(p => p.Pid > 0 && CommandLine(p.Dir) is { } line && line.StartsWith("redis-", StringComparison.Ordinal) && line.Contains($" {network}.", StringComparison.Ordinal))
                .Select(p => p.Pid)];

        private static string? CommandLine(string dir)
        {
            try
            {
                return File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
