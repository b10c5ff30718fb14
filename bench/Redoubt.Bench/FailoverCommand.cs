using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Redoubt.Bench.Clusters;
using Redoubt.Bench.Reporting;
using Redoubt.Bench.Scenarios;
using Redoubt.Bench.Writers;
using Redoubt.Client;
using Redoubt.Model;
using StackExchange.Redis;

namespace Redoubt.Bench;

/// <summary>
/// The failover benchmark: both setups in one run on the same machine, one after the other so they never compete
/// for the two cores. Redoubt first (each part on a fresh resource), then the baseline.
/// </summary>
internal sealed class FailoverCommand(BenchOptions options, BenchHome home)
{
    private readonly Summary _summary = new();

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Failover benchmark: {Environment.ProcessorCount} cores, {RedisVersion()}; {options.Kills} kills per setup, {options.Runs} runs of switchover and client, {options.Saturation.TotalSeconds:F0} s saturation{(options.Tls ? "; Redoubt with tls.enabled: true (the baseline stays plain)" : "")}");
        Console.WriteLine($"  control-plane log: {home.ControlPlaneLog}");
        if (options.Parts.Any(p => p is 'a' or 'c' or 'd' or 'e'))
        {
            await RunRedoubtAsync(cancellationToken).ConfigureAwait(false);
        }

        if (options.Includes('b'))
        {
            await RunBaselineAsync(cancellationToken).ConfigureAwait(false);
        }

        _summary.Print(Console.Out, clock.Elapsed);
        return _summary.Failed ? 1 : 0;
    }

    /// <summary>
    /// Each part runs on a resource of its own, created fresh: one part's aftermath (or a resource that does not heal)
    /// cannot change the next part's figures, and a part that fails leaves the others measurable.
    /// </summary>
    private async Task RunRedoubtAsync(CancellationToken cancellationToken)
    {
        foreach (var part in "acde".Where(options.Includes))
        {
            await RunRedoubtPartAsync(part, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunRedoubtPartAsync(char part, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddProvider(home.Logger).SetMinimumLevel(LogLevel.Information));
        var cluster = new RedoubtCluster(home.For($"redoubt-{part}"), loggers, tls: options.Tls);
        await using (cluster.ConfigureAwait(false))
        {
            var started = Stopwatch.StartNew();
            await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
            Resp.RespConnection.Authority = cluster.Credentials?.CertificateAuthorityFile is { } authority ? System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(authority) : null;
            Console.WriteLine($"Redoubt part {part} (local control plane, replicas: 3, {(options.Tls ? "tls.enabled: true" : "default spec")}): Ready after {started.Elapsed.TotalSeconds:F1} s; Sentinels {string.Join(", ", cluster.Sentinels)}");
            var scenarios = new FaultScenarios(cluster, _summary.Add);
            var since = DateTimeOffset.UtcNow;
            Func<Task<double?>> failover = async () =>
            {
                var last = (await cluster.StatusAsync(cancellationToken).ConfigureAwait(false)).LastFailover;
                return last is not null && last.Time >= since ? last.DurationMs : null;
            };

            try
            {
                await RunRedoubtPartAsync(part, cluster, scenarios, failover, () => since = DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                _summary.AddFailure(Summary.Redoubt, $"part {part}: {e.Message}; the rest of the part was skipped");
            }

            Console.WriteLine($"  Redoubt status events: {Describe((await cluster.StatusAsync(cancellationToken).ConfigureAwait(false)).Events)}");
        }
    }

    private async Task RunRedoubtPartAsync(char part, RedoubtCluster cluster, FaultScenarios scenarios, Func<Task<double?>> failover, Action markStart, CancellationToken cancellationToken)
    {
        switch (part)
        {
            case 'a':
                for (var i = 1; i <= options.Kills; i++)
                {
                    markStart();
                    await scenarios.KillMasterAsync(Summary.Kill, i, scenarios.RawWriter, failover, cancellationToken).ConfigureAwait(false);
                }

                markStart();
                await scenarios.FreezeMasterAsync(Summary.Freeze, 1, scenarios.RawWriter, failover, cancellationToken).ConfigureAwait(false);
                break;
            case 'c':
                for (var i = 1; i <= options.Runs; i++)
                {
                    await scenarios.ActAsync(Summary.Switchover, i, scenarios.RawWriter, async () =>
                    {
                        var result = await cluster.ControlPlane.FailoverAsync(RedoubtCluster.Namespace, RedoubtCluster.ResourceName, null, cancellationToken).ConfigureAwait(false);
                        if (!result.Succeeded)
                        {
                            Console.WriteLine($"  switchover refused: {result.Message}");
                        }

                        return result.Succeeded ? result.WritePauseMs : null;
                    }, cancellationToken).ConfigureAwait(false);
                }

                await scenarios.ActAsync(Summary.RollingRestart, 1, scenarios.RawWriter, async () => await cluster.RollingRestartAsync(TimeSpan.FromMinutes(3), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                break;
            case 'd':
                await RunClientsAsync(cluster, scenarios, markStart, failover, cancellationToken).ConfigureAwait(false);
                break;
            case 'e':
                var before = (await cluster.StatusAsync(cancellationToken).ConfigureAwait(false)).LastFailover;
                var result = await SaturationScenario.RunAsync(cluster, options.Saturation, cancellationToken).ConfigureAwait(false);
                var after = (await cluster.StatusAsync(cancellationToken).ConfigureAwait(false)).LastFailover;
                _summary.Add(after?.Time != before?.Time ? result with { MasterChanges = Math.Max(1, result.MasterChanges) } : result);
                break;
        }
    }

    private async Task RunClientsAsync(RedoubtCluster cluster, FaultScenarios scenarios, Action markStart, Func<Task<double?>> failover, CancellationToken cancellationToken)
    {
        var credentials = cluster.Credentials!;
        var tuning = new RedoubtConnectionOptions { CertificateAuthorityFile = credentials.CertificateAuthorityFile };
        // The Sentinels and the master name alone, with every setting at the library's default: the baseline.
        var bare = ConfigurationOptions.Parse(string.Join(',', credentials.Sentinels) + $",serviceName={credentials.MasterName}" + (credentials.CertificateAuthorityFile is not null ? ",ssl=true" : ""));
        bare.Password = credentials.Password;
        // What an application pastes: the connection string `up` and `credentials` print, nothing else.
        var printed = ConfigurationOptions.Parse(credentials.StackExchangeConnectionString(includePassword: true));
        foreach (var (connection, name) in new[] { (bare, Summary.ClientBare), (printed, Summary.ClientPrinted) })
        {
            if (credentials.CertificateAuthorityFile is { } authority)
            {
                connection.TrustIssuer(authority);
            }

            var client = await ConnectionMultiplexer.ConnectAsync(connection).ConfigureAwait(false);
            await using var _ = client.ConfigureAwait(false);
            var db = client.GetDatabase();
            for (var i = 1; i <= options.Runs; i++)
            {
                markStart();
                await scenarios.KillMasterAsync(name, i, first => new ClientWriter(db, first), failover, cancellationToken).ConfigureAwait(false);
            }
        }

        // The settings alone, without the connection that watches the Sentinels.
        await using (var settings = await ConnectionMultiplexer.ConnectAsync(SentinelClientSettings.Create(credentials.Sentinels, credentials.MasterName, credentials.Password, tuning)).ConfigureAwait(false))
        {
            var db = settings.GetDatabase();
            for (var i = 1; i <= options.Runs; i++)
            {
                markStart();
                await scenarios.KillMasterAsync(Summary.ClientSettings, i, first => new ClientWriter(db, first), failover, cancellationToken).ConfigureAwait(false);
            }
        }

        var tuned = await RedoubtConnection.ConnectAsync(credentials.Sentinels, credentials.MasterName, credentials.Password, tuning, cancellationToken).ConfigureAwait(false);
        await using (tuned.ConfigureAwait(false))
        {
            tuned.MasterFollowed += (_, e) => Console.WriteLine($"           Redoubt.Client followed {e.Master} after {e.Took.TotalMilliseconds:F0} ms ({e.Trigger})");
            var db = tuned.GetDatabase();
            for (var i = 1; i <= options.Runs; i++)
            {
                markStart();
                await scenarios.KillMasterAsync(Summary.ClientTuned, i, first => new ClientWriter(db, first), failover, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunBaselineAsync(CancellationToken cancellationToken)
    {
        Resp.RespConnection.Authority = null;
        var cluster = new BaselineCluster(home.For("baseline"));
        await using (cluster.ConfigureAwait(false))
        {
            var started = Stopwatch.StartNew();
            await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
            await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(90), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"baseline (redis-server ×3 + redis-sentinel ×3, down-after 1000 ms, failover-timeout 3000 ms, quorum 2, no control plane): healthy after {started.Elapsed.TotalSeconds:F1} s");
            var scenarios = new FaultScenarios(cluster, _summary.Add);
            try
            {
                for (var i = 1; i <= options.Kills; i++)
                {
                    await scenarios.KillMasterAsync(Summary.Kill, i, scenarios.RawWriter, null, cancellationToken).ConfigureAwait(false);
                }

                await scenarios.FreezeMasterAsync(Summary.Freeze, 1, scenarios.RawWriter, null, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                _summary.AddFailure(Summary.Baseline, e.Message + "; its remaining parts were skipped");
            }
        }
    }

    private static string Describe(List<StatusEvent> events)
    {
        var counts = events.GroupBy(e => $"{e.Type}/{e.Reason}").Select(g => $"{g.Key} ×{g.Count()}");
        return string.Join(", ", counts);
    }

    private static string RedisVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("redis-server", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            var output = process?.StandardOutput.ReadToEnd() ?? "";
            process?.WaitForExit(5000);
            var at = output.IndexOf("v=", StringComparison.Ordinal);
            return at < 0 ? "Redis (version unknown)" : "Redis " + output[(at + 2)..].Split(' ')[0];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "redis-server not found";
        }
    }
}
