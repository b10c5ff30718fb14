using System.Globalization;
using Microsoft.Extensions.Logging;
using Redoubt.Bench.Clusters;
using Redoubt.Bench.Reporting;
using Redoubt.Core.Access;
using Redoubt.Integration.Tests.Connecting.Clients;
using StackExchange.Redis;

namespace Redoubt.Bench;

/// <summary>
/// The mainstream clients applications use, each set up the way its documentation says: redis-py (Debian's
/// python3-redis), ioredis and StackExchange.Redis with Redoubt.Client's SentinelClientSettings, writing at once through a
/// kill -9 of the master and then a planned switchover, <c>--runs</c> times on one resource (replicas: 3). Per client and
/// fault: the gap of each run and the median, and the acknowledged writes lost. Each run is the integration test
/// ClientFailoverTests's run (Connecting/Clients, linked into the bench): the same writers, parsing and windows.
/// </summary>
internal sealed class ClientsCommand(BenchOptions options, BenchHome home)
{
    // Apart from the other benches (127.200-201, 127.225, 127.230-232, 127.240-241, 127.250) and the integration tests
    // (127.20-127.219, 127.230-249).
    private static readonly Placement Clients = new("127.226", 42000, 42100);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var missing = ClientLibraries.Missing();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException("the client libraries are missing:\n  " + string.Join("\n  ", missing));
        }

        using var loggers = LoggerFactory.Create(b => b.AddProvider(home.Logger).SetMinimumLevel(LogLevel.Information));
        var cluster = new RedoubtCluster(home.For("clients"), loggers, replicas: 3, Clients);
        await using (cluster.ConfigureAwait(false))
        {
            await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Clients: redis-py, ioredis and StackExchange.Redis (SentinelClientSettings) through the Sentinels, writing at once on one resource (replicas: 3, default spec);");
            Console.WriteLine($"  {options.Runs} run(s), each a kill -9 of the master then a planned switchover; gap: longest time between two acknowledged writes from {ClientFailoverRun.LeadMs} ms before the fault; {Environment.ProcessorCount} cores");
            var connections = new List<ConnectionMultiplexer>();
            try
            {
                var all = new List<(int Run, ClientFaultResult Result)>();
                for (var run = 1; run <= options.Runs; run++)
                {
                    await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
                    IDatabase? master = null;
                    var measured = new ClientFailoverRun(
                        cluster.ControlPlane, RedoubtCluster.ResourceName, pid => Signals.Send(pid, Signals.Kill),
                        async address => master = await AdminAsync(cluster, address, connections).ConfigureAwait(false),
                        line => Console.WriteLine($"    run {run}: {line}"));
                    var results = await measured.RunAsync($"run{run.ToString(CultureInfo.InvariantCulture)}", cancellationToken).ConfigureAwait(false);
                    all.AddRange(results.Select(r => (run, r)));
                    Console.WriteLine();
                    foreach (var line in ClientFaultResult.Table(results).TrimEnd().Split('\n'))
                    {
                        Console.WriteLine($"  {line}");
                    }

                    foreach (var line in ClientFaultResult.Trouble(results.Where(r => r.Lost > 0), 0).TrimEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    {
                        Console.WriteLine($"  {line}");
                    }

                    Console.WriteLine();
                    // Each run writes a few hundred thousand keys; emptied so that runs never fill maxmemory.
                    await master!.ExecuteAsync("FLUSHALL").WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
                }

                Print(all);
                return all.Any(r => r.Result.Lost > 0) ? 1 : 0;
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static void Print(List<(int Run, ClientFaultResult Result)> all)
    {
        Console.WriteLine("  per client and fault: gap of each run (ms), median; acknowledged writes lost");
        foreach (var group in all.GroupBy(r => (r.Result.Client, r.Result.Fault)))
        {
            var gaps = group.Select(r => (double)r.Result.GapMs).ToList();
            var runs = string.Join(" ", gaps.Select(g => g.ToString("F0", CultureInfo.InvariantCulture).PadLeft(5)));
            Console.WriteLine($"    {group.Key.Client,-20} {group.Key.Fault,-10}  {runs}   median {Stats.Median(gaps),5:F0} ms   lost {group.Sum(r => r.Result.Lost)} of {group.Sum(r => r.Result.Acknowledged)}");
        }
    }

    /// <summary>A connection to one node as Redoubt's admin user (its password is in the resource's folder), which may read every key and FLUSHALL.</summary>
    private static async Task<IDatabase> AdminAsync(RedoubtCluster cluster, string address, List<ConnectionMultiplexer> connections)
    {
        var password = (await File.ReadAllTextAsync(Path.Combine(cluster.Home, "resources", RedoubtCluster.Namespace, RedoubtCluster.ResourceName, "admin-password")).ConfigureAwait(false)).Trim();
        var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { address },
            User = AclUsers.Admin,
            Password = password,
            AllowAdmin = true,
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
        }).ConfigureAwait(false);
        connections.Add(connection);
        return connection.GetDatabase();
    }
}
