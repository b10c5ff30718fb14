using Microsoft.Extensions.Logging;
using Redoubt.Core.ControlPlane;
using Redoubt.Model;
using Redoubt.Platforms.Local;

namespace Redoubt.Bench.Clusters;

/// <summary>Redoubt's local control plane in a throw-away home, running one resource with replicas: 3 and the default spec.</summary>
internal sealed class RedoubtCluster(string home, ILoggerFactory loggers, int replicas = 3) : BenchCluster
{
    public const string ResourceName = "bench";
    public const string Namespace = "default";
    public const string ZoneNetwork = "127.200";
    public const int PortBase = 40000;
    public const int SentinelPortBase = 40100;

    private string Yaml => $"""
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: bench
        spec:
          replicas: {replicas}
        """;

    private LocalControlPlane? _controlPlane;

    public override string Name => "Redoubt";

    public string Home => home;

    public LocalControlPlane ControlPlane => _controlPlane ?? throw new InvalidOperationException("not started");

    public Credentials? Credentials { get; private set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _controlPlane = await LocalControlPlane.StartAsync(
            new LocalOptions { Home = home, PortBase = PortBase, SentinelPortBase = SentinelPortBase, ZoneNetwork = ZoneNetwork }, loggers, cancellationToken).ConfigureAwait(false);
        var applied = await _controlPlane.ApplyAsync(Yaml, "bench.yaml", cancellationToken).ConfigureAwait(false);
        if (!applied.Succeeded)
        {
            throw new InvalidOperationException("the bench resource was rejected: " + string.Join("; ", applied.Errors));
        }

        await WaitForPhaseReadyAsync(TimeSpan.FromSeconds(90), cancellationToken).ConfigureAwait(false);
        Credentials = await _controlPlane.GetCredentialsAsync(Namespace, ResourceName, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the control plane has no credentials for the bench resource");
        Sentinels = Credentials.Sentinels;
        Password = Credentials.Password;
    }

    public async Task<RedisStatus> StatusAsync(CancellationToken cancellationToken) =>
        (await ControlPlane.GetAsync(Namespace, ResourceName, cancellationToken).ConfigureAwait(false))?.Status ?? new RedisStatus();

    public async Task WaitForPhaseReadyAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if ((await StatusAsync(cancellationToken).ConfigureAwait(false)).Phase == Phases.Ready)
            {
                return;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        var status = await StatusAsync(cancellationToken).ConfigureAwait(false);
        throw new TimeoutException($"Redoubt did not reach phase Ready within {limit.TotalSeconds:F0} s (phase {status.Phase}: {string.Join("; ", status.Conditions.Select(c => $"{c.Type}={c.Status} {c.Message}"))})");
    }

    /// <summary>
    /// Asks for a rolling restart and waits until every node has been restarted and the resource is Ready again;
    /// returns how long that took.
    /// </summary>
    public async Task<double> RollingRestartAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _ = await ControlPlane.RestartAsync(Namespace, ResourceName, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the bench resource is gone");
        var started = false;
        while (clock.Elapsed < limit)
        {
            var status = await StatusAsync(cancellationToken).ConfigureAwait(false);
            var upToDate = status.Conditions.FirstOrDefault(c => c.Type == "UpToDate")?.Status;
            started |= upToDate == "False";
            if (started && upToDate == "True" && status.Phase == Phases.Ready)
            {
                return clock.Elapsed.TotalMilliseconds;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"the rolling restart did not finish within {limit.TotalSeconds:F0} s");
    }

    protected override async Task<string?> NotReadyBecauseAsync(CancellationToken cancellationToken)
    {
        var status = await StatusAsync(cancellationToken).ConfigureAwait(false);
        return status.Phase == Phases.Ready ? null : $"phase {status.Phase}";
    }

    public override async Task<int> PidOfAsync(string address, CancellationToken cancellationToken)
    {
        var status = await StatusAsync(cancellationToken).ConfigureAwait(false);
        return status.Nodes.FirstOrDefault(n => n.Address == address)?.Pid
            ?? throw new InvalidOperationException($"Redoubt's status has no pid for {address}");
    }

    public override async ValueTask DisposeAsync()
    {
        if (_controlPlane is not null)
        {
            try
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _controlPlane.StopAsync(stopNodes: true, limit.Token).ConfigureAwait(false);
            }
            finally
            {
                await _controlPlane.DisposeAsync().ConfigureAwait(false);
            }
        }

        // Whatever survived a failed stop (a frozen node, say) is killed: nothing the bench started outlives it.
        Signals.KillEverythingUnder(home);
    }
}
