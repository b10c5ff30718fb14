using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Redoubt.Bench.Clusters;
using Redoubt.Core.Access;
using Redoubt.Core.Backup;
using StackExchange.Redis;

namespace Redoubt.Bench;

/// <summary>
/// Backups of a big dataset (<c>--mb</c>, default 1024 MiB of 1 KiB values) on a <c>replicas: 3</c> resource: the time to
/// take one and to restore it, and the master's write latency while nothing runs, while Redoubt takes a backup (from a
/// replica), and, as the baseline in the same run, while the same snapshot is taken from the master (what a backup
/// that forks the master costs). The latency probe writes one small key at a time on a connection of its own to the
/// master and records every round trip.
/// </summary>
internal sealed class BackupCommand(BenchOptions options, BenchHome home)
{
    private const int ValueBytes = 1024;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddProvider(home.Logger).SetMinimumLevel(LogLevel.Information));
        var megabytes = options.Megabytes;
        var keys = megabytes * 1024L * 1024 / ValueBytes;
        var memory = Math.Max(1024, megabytes * 3);
        var cluster = new RedoubtCluster(home.For("backup"), loggers, replicas: 3, placement: new Placement("127.204", 44000, 44100),
            extraSpec: $"  size: {megabytes * 8}Mi\n  maxmemory: {megabytes * 2}Mi\n  resources:\n    memory: {memory}Mi");
        await using (cluster.ConfigureAwait(false))
        {
            await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
            var credentials = cluster.Credentials!;
            var settings = ConfigurationOptions.Parse(credentials.StackExchangeConnectionString(includePassword: true));
            // FLUSHALL before the restore: the application's mistake a backup undoes.
            settings.AllowAdmin = true;
            await using var client = await ConnectionMultiplexer.ConnectAsync(settings).ConfigureAwait(false);
            var fill = Stopwatch.StartNew();
            await FillAsync(client.GetDatabase(), keys, cancellationToken).ConfigureAwait(false);
            await client.GetDatabase().ExecuteAsync("WAIT", 2, 600_000).ConfigureAwait(false);
            Console.WriteLine($"  filled {keys:N0} keys of {ValueBytes} bytes ({megabytes} MiB) in {fill.Elapsed.TotalSeconds:F1} s");
            await cluster.WaitForPhaseReadyAsync(TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
            await WaitInSyncAsync(cluster, cancellationToken).ConfigureAwait(false);

            var master = (await cluster.StatusAsync(cancellationToken).ConfigureAwait(false)).Master!;
            await using var probe = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
            {
                EndPoints = { master }, Password = credentials.Password, AbortOnConnectFail = true, SyncTimeout = 30_000, AsyncTimeout = 30_000,
            }).ConfigureAwait(false);
            var db = probe.GetDatabase();

            var idle = await ProbeAsync(db, Task.Delay(Quiet, cancellationToken)).ConfigureAwait(false);
            var taking = cluster.ControlPlane.BackupAsync(RedoubtCluster.Namespace, RedoubtCluster.ResourceName, keep: null, cancellationToken);
            var during = await ProbeAsync(db, taking).ConfigureAwait(false);
            var backup = await taking.ConfigureAwait(false);
            Console.WriteLine($"  Redoubt backup {backup.Backup.Id}: from {backup.Backup.SourceNode} ({backup.Backup.SourceRole}), {backup.Backup.SizeBytes / 1048576.0:F0} MiB, {backup.Backup.Keys:N0} keys, {backup.Backup.DurationMs / 1000:F1} s (fetch, fsync, redis-check-rdb)");

            // The baseline: the same snapshot, taken from the master.
            var adminPassword = (await File.ReadAllTextAsync(Path.Combine(cluster.Home, "resources", "default", RedoubtCluster.ResourceName, "admin-password"), cancellationToken).ConfigureAwait(false)).Trim();
            var fromMaster = Stopwatch.StartNew();
            var naive = RdbFetch.FetchAsync(master, tls: null, AclUsers.Admin, adminPassword, Stream.Null, cancellationToken);
            var duringMaster = await ProbeAsync(db, naive).ConfigureAwait(false);
            await naive.ConfigureAwait(false);
            Console.WriteLine($"  baseline snapshot from the master: {fromMaster.Elapsed.TotalSeconds:F1} s (fetch only)");

            await client.GetDatabase().ExecuteAsync("FLUSHALL", "ASYNC").ConfigureAwait(false);
            var restore = await cluster.ControlPlane.RestoreAsync(RedoubtCluster.Namespace, RedoubtCluster.ResourceName, backup.Backup.Id, cancellationToken).ConfigureAwait(false);
            var size = (long)await client.GetDatabase().ExecuteAsync("DBSIZE").ConfigureAwait(false);
            Console.WriteLine($"  restore: {restore.KeysRestored:N0} of {restore.KeysInBackup:N0} keys in {restore.DurationMs / 1000:F1} s; DBSIZE after: {size:N0}");

            Console.WriteLine();
            Console.WriteLine($"  master write latency (one SET at a time, ms)   {"n",7} {"p50",7} {"p99",7} {"max",7}");
            Print("no backup running", idle);
            Print("Redoubt backup (from a replica)", during);
            Print("baseline: snapshot from the master", duringMaster);
            Console.WriteLine($"  p99 during Redoubt's backup / idle: {Percentile(during, 0.99) / Percentile(idle, 0.99):F2}; during the master snapshot / idle: {Percentile(duringMaster, 0.99) / Percentile(idle, 0.99):F2}");
            // The probe's keys are in the backup too: every key the backup holds must be back.
            return size == restore.KeysInBackup && restore.KeysRestored == restore.KeysInBackup ? 0 : 1;
        }
    }

    private static async Task FillAsync(IDatabase db, long keys, CancellationToken cancellationToken)
    {
        var value = new byte[ValueBytes];
        Random.Shared.NextBytes(value);
        const int batch = 2000;
        for (long start = 0; start < keys; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var writes = new Task[(int)Math.Min(batch, keys - start)];
            for (var i = 0; i < writes.Length; i++)
            {
                writes[i] = db.StringSetAsync($"key:{start + i}", value);
            }

            await Task.WhenAll(writes).ConfigureAwait(false);
        }
    }

    /// <summary>Writes one key at a time until <paramref name="until"/> ends; every round trip in milliseconds.</summary>
    private static async Task<List<double>> ProbeAsync(IDatabase db, Task until)
    {
        var latencies = new List<double>();
        var n = 0;
        while (!until.IsCompleted)
        {
            var sent = Stopwatch.GetTimestamp();
            await db.StringSetAsync($"probe:{n++ % 1000}", n).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            await Task.Delay(1).ConfigureAwait(false);
        }

        return latencies;
    }

    private static async Task WaitInSyncAsync(RedoubtCluster cluster, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while ((await cluster.StatusAsync(cancellationToken).ConfigureAwait(false)).Nodes.Count(n => n.Role == "replica" && n.Health == "ok") < 2)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("the replicas did not report in sync within 5 minutes");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }

    private static void Print(string label, List<double> values) =>
        Console.WriteLine($"  {label,-46} {values.Count,7} {Percentile(values, 0.5),7:F2} {Percentile(values, 0.99),7:F2} {values.DefaultIfEmpty(double.NaN).Max(),7:F2}");
}
