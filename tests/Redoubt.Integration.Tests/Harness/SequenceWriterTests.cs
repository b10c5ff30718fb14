using System.Diagnostics;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Platforms.Local;
using StackExchange.Redis;

namespace Redoubt.Integration.Tests.Harness;

/// <summary>The writer the chaos tests count lost writes with, against one real redis-server.</summary>
public sealed class SequenceWriterTests
{
    [Fact]
    public async Task StopReturnsOnlyOnceNoWriteIsInFlightAndDisposeAfterStopIsQuiet()
    {
        await using var redis = await StandaloneRedis.StartAsync();
        var writer = await SequenceWriter.StartAsync(redis.Options);
        await writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(10));

        // Everyone who may stop the writer at once: the test, the harness's dispose, and a second dispose.
        await Task.WhenAll(writer.StopAsync(), writer.DisposeAsync().AsTask(), writer.StopAsync(), writer.DisposeAsync().AsTask());
        await writer.StopAsync();

        Assert.Equal(0, writer.Failures);
        await using var reader = await ConnectionMultiplexer.ConnectAsync(redis.Options);
        var db = reader.GetDatabase();
        Assert.Empty(await writer.MissingOnAsync(db));
        // Without failures, seq:1..n are the acknowledged writes; a write still in flight would land as seq:n+1.
        Assert.False(await db.KeyExistsAsync($"seq:{writer.Acknowledged + 1}"), "a write landed after StopAsync returned");
        Assert.Equal(writer.Acknowledged, (int)await db.ExecuteAsync("DBSIZE"));
    }

    [Fact]
    public void ANetworkNumberIsLeasedToOneHolderAtATime()
    {
        var pool = "test-" + Guid.NewGuid().ToString("N")[..8];
        var first = NetworkLease.Take(pool, 7, 1);
        try
        {
            Assert.Equal(7, first.Number);
            var refused = Assert.Throws<InvalidOperationException>(() => NetworkLease.Take(pool, 7, 1));
            Assert.Contains("held by other tests", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            first.Dispose();
        }

        using var again = NetworkLease.Take(pool, 7, 1);
        Assert.Equal(7, again.Number);
        File.Delete(Path.Combine(Path.GetTempPath(), "redoubt-tests", "leases", $"{pool}-7"));
    }

    /// <summary>One redis-server without persistence on a leased loopback address (127.220-127.229).</summary>
    private sealed class StandaloneRedis : IAsyncDisposable
    {
        private readonly NetworkLease _lease;
        private readonly Process _process;

        private StandaloneRedis(NetworkLease lease, Process process)
        {
            _lease = lease;
            _process = process;
            // Generous timeouts: this server never fails over, and the test is about stopping, not speed. With 2 s, one
            // write timed out in a clean-clone run while the Kubernetes tests loaded the machine, and a write that
            // times out leaves the test nothing to check exactly (it may still land).
            Options = new ConfigurationOptions { EndPoints = { Endpoint }, AbortOnConnectFail = false, ConnectTimeout = 10_000, SyncTimeout = 10_000, AsyncTimeout = 10_000, AllowAdmin = true };
        }

        public ConfigurationOptions Options { get; }

        private string Endpoint => $"127.{_lease.Number}.0.1:6379";

        public static async Task<StandaloneRedis> StartAsync()
        {
            RedisInstallation.Require();
            var lease = NetworkLease.Take("standalone", 220, 10);
            var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])["--bind", $"127.{lease.Number}.0.1", "--port", "6379", "--save", "", "--appendonly", "no", "--dir", Path.GetTempPath()])
            {
                info.ArgumentList.Add(argument);
            }

            var redis = new StandaloneRedis(lease, Process.Start(info)!);
            redis._process.OutputDataReceived += (_, _) => { };
            redis._process.ErrorDataReceived += (_, _) => { };
            redis._process.BeginOutputReadLine();
            redis._process.BeginErrorReadLine();
            var clock = Stopwatch.StartNew();
            // The port can be bound until redis-server listens on it.
            while (PortAllocator.CanBind($"127.{lease.Number}.0.1", 6379))
            {
                if (redis._process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
                {
                    await redis.DisposeAsync();
                    Assert.Fail($"redis-server on {redis.Endpoint} did not start listening within 10 s");
                }

                await Task.Delay(20);
            }

            return redis;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill();
                }

                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(deadline.Token);
            }
            finally
            {
                _process.Dispose();
                _lease.Dispose();
            }
        }
    }
}
