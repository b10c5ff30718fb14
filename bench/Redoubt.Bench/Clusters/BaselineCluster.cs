using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Redoubt.Bench.Resp;

namespace Redoubt.Bench.Clusters;

/// <summary>
/// The baseline: plain redis-server ×3 and redis-sentinel ×3 with the reference platform's Sentinel settings
/// (down-after 1000 ms, failover-timeout 3000 ms, quorum 2, parallel-syncs 1) and auth on, started directly, with
/// no control plane. The bench plays the supervisor: a killed redis-server is started again as a replica of the
/// master the Sentinels name once they have failed over.
/// </summary>
internal sealed class BaselineCluster(string home) : BenchCluster
{
    public const string Network = "127.201.0";
    public const int PortBase = 41000;
    public const int SentinelPortBase = 41100;
    private const int Nodes = 3;

    private readonly Dictionary<string, (int Index, Process Process)> _redis = new(StringComparer.Ordinal);
    private readonly List<Process> _sentinels = [];
    private readonly List<Task> _supervisors = [];
    private readonly Lock _lock = new();

    public override string Name => "baseline";

    private static string RedisAddress(int i) => $"{Network}.{i + 1}:{PortBase + i}";

    private static string SentinelAddress(int i) => $"{Network}.{i + 1}:{SentinelPortBase + i}";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        Password = RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 32);
        Sentinels = [.. Enumerable.Range(0, Nodes).Select(SentinelAddress)];
        for (var i = 0; i < Nodes; i++)
        {
            WriteRedisConfig(i);
            StartRedis(i, i == 0 ? null : RedisAddress(0));
        }

        await WaitUntilAsync(async () => await ReplicasOnlineAsync(RedisAddress(0), cancellationToken).ConfigureAwait(false) == Nodes - 1, TimeSpan.FromSeconds(30), "the replicas to link to the first master", cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < Nodes; i++)
        {
            WriteSentinelConfig(i);
            _sentinels.Add(Start("redis-sentinel", SentinelConfig(i)));
        }
    }

    private string NodeDirectory(string kind, int i)
    {
        var directory = Path.Combine(home, $"{kind}-{i}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    private string RedisConfig(int i) => Path.Combine(NodeDirectory("redis", i), "redis.conf");

    private string SentinelConfig(int i) => Path.Combine(NodeDirectory("sentinel", i), "sentinel.conf");

    private void WriteRedisConfig(int i)
    {
        var (host, port) = RespConnection.Split(RedisAddress(i));
        var directory = NodeDirectory("redis", i);
        WritePrivate(RedisConfig(i), $"""
            bind {host}
            port {port}
            daemonize no
            dir {directory}
            logfile {Path.Combine(directory, "redis.log")}
            requirepass {Password}
            masterauth {Password}
            replica-announce-ip {host}
            """);
    }

    private void WriteSentinelConfig(int i)
    {
        var (host, port) = RespConnection.Split(SentinelAddress(i));
        var (masterHost, masterPort) = RespConnection.Split(RedisAddress(0));
        var directory = NodeDirectory("sentinel", i);
        WritePrivate(SentinelConfig(i), $"""
            bind {host}
            port {port}
            daemonize no
            dir {directory}
            logfile {Path.Combine(directory, "sentinel.log")}
            requirepass {Password}
            sentinel announce-ip {host}
            sentinel announce-port {port}
            sentinel monitor {MasterName} {masterHost} {masterPort} 2
            sentinel auth-pass {MasterName} {Password}
            sentinel down-after-milliseconds {MasterName} 1000
            sentinel failover-timeout {MasterName} 3000
            sentinel parallel-syncs {MasterName} 1
            """);
    }

    private static void WritePrivate(string path, string text)
    {
        File.WriteAllText(path, text + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private void StartRedis(int i, string? replicaOf)
    {
        var arguments = new List<string> { RedisConfig(i) };
        if (replicaOf is not null)
        {
            var (host, port) = RespConnection.Split(replicaOf);
            arguments.AddRange(["--replicaof", host, port.ToString(CultureInfo.InvariantCulture)]);
        }

        var process = Start("redis-server", [.. arguments]);
        lock (_lock)
        {
            _redis[RedisAddress(i)] = (i, process);
        }
    }

    private static Process Start(string binary, params string[] arguments)
    {
        var info = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {binary}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public override Task<int> PidOfAsync(string address, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_redis.TryGetValue(address, out var node) ? node.Process.Id : throw new InvalidOperationException($"the baseline runs no redis-server at {address}"));
        }
    }

    /// <summary>The supervisor: once the Sentinels name another master, the killed node starts again as its replica.</summary>
    public override void OnNodeKilled(string address, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _supervisors.Add(Task.Run(() => RestartAsReplicaAsync(address, cancellationToken), cancellationToken));
        }
    }

    private async Task RestartAsReplicaAsync(string address, CancellationToken cancellationToken)
    {
        int index;
        lock (_lock)
        {
            var (i, process) = _redis[address];
            index = i;
            process.WaitForExit(5000);
            process.Dispose();
        }

        string? master = null;
        await WaitUntilAsync(async () => (master = await Probe.MasterAsync(cancellationToken).ConfigureAwait(false)) is { } m && m != address, TimeSpan.FromSeconds(60), $"the Sentinels to name a master other than {address}", cancellationToken).ConfigureAwait(false);
        StartRedis(index, master);
    }

    private async Task<int> ReplicasOnlineAsync(string master, CancellationToken cancellationToken)
    {
        try
        {
            using var connection = await RespConnection.ConnectAsync(master, Password, TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            var info = (await connection.CommandAsync(TimeSpan.FromMilliseconds(500), cancellationToken, "INFO", "replication").ConfigureAwait(false)).Text ?? "";
            return info.Split("\r\n").Count(l => l.StartsWith("slave", StringComparison.Ordinal) && l.Contains("state=online", StringComparison.Ordinal));
        }
        catch (Exception e) when (RespFailure.Is(e))
        {
            return 0;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"the baseline waited {limit.TotalSeconds:F0} s for {what}");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        Task[] supervisors;
        lock (_lock)
        {
            supervisors = [.. _supervisors];
        }

        try
        {
            await Task.WhenAll(supervisors).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Cancelled or stuck: the processes are killed below either way.
        }

        List<Process> all;
        lock (_lock)
        {
            all = [.. _sentinels, .. _redis.Values.Select(v => v.Process)];
        }

        foreach (var process in all)
        {
            try
            {
                if (!process.HasExited)
                {
                    Signals.TrySend(process.Id, Signals.Continue);
                    process.Kill();
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                // Already gone.
            }
            finally
            {
                process.Dispose();
            }
        }

        Signals.KillEverythingUnder(home);
    }
}
