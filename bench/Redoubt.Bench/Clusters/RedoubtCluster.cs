using Microsoft.Extensions.Logging;
using Redoubt.Core.ControlPlane;
using Redoubt.Model;
using Redoubt.Platforms.Local;

namespace Redoubt.Bench.Clusters;

/// <summary>
/// Where a control plane puts its zones and ports: a /16 of its own and two port ranges; the zones are loopback
/// addresses, or with <see cref="ZoneNamespaces"/> network namespaces holding {ZoneNetwork}.0.N.
/// </summary>
internal sealed record Placement(string ZoneNetwork, int PortBase, int SentinelPortBase)
{
    public IReadOnlyList<string>? ZoneNamespaces { get; init; }

    /// <summary>The failover and ready benchmarks.</summary>
    public static readonly Placement Default = new("127.200", 40000, 40100);
}

/// <summary>Redoubt's local control plane in a throw-away home, running one resource with replicas: 3 and the default spec.</summary>
/// <param name="extraSpec">More lines of the spec (indented by two spaces), e.g. a bigger maxmemory for a big dataset.</param>
internal sealed class RedoubtCluster(string home, ILoggerFactory loggers, int replicas = 3, Placement? placement = null, bool tls = false, string extraSpec = "") : BenchCluster
{
    public const string ResourceName = "bench";
    public const string Namespace = "default";

    private readonly Placement _placement = placement ?? Placement.Default;

    private string Yaml => $"""
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: bench
        spec:
          replicas: {replicas}
          tls:
            enabled: {(tls ? "true" : "false")}
        {extraSpec}
        """;

    // Replaced when the bench crashes the control plane; readers take one reference and tolerate a stopped one.
    private volatile LocalControlPlane? _controlPlane;

    public override string Name => "Redoubt";

    public string Home => home;

    public LocalControlPlane ControlPlane => _controlPlane ?? throw new InvalidOperationException("not started");

    public Credentials? Credentials { get; private set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await StartControlPlaneAsync(cancellationToken).ConfigureAwait(false);
        var applied = await ControlPlane.ApplyAsync(Yaml, "bench.yaml", cancellationToken).ConfigureAwait(false);
        if (!applied.Succeeded)
        {
            throw new InvalidOperationException("the bench resource was rejected: " + string.Join("; ", applied.Errors));
        }

        await WaitForPhaseReadyAsync(TimeSpan.FromSeconds(90), cancellationToken).ConfigureAwait(false);
        Credentials = await ControlPlane.GetCredentialsAsync(Namespace, ResourceName, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the control plane has no credentials for the bench resource");
        Sentinels = Credentials.Sentinels;
        Password = Credentials.Password;
    }

    /// <summary>A control plane on this home that adopts whatever nodes are running (a first start adopts nothing).</summary>
    public async Task StartControlPlaneAsync(CancellationToken cancellationToken) =>
        _controlPlane = await LocalControlPlane.StartAsync(
            new LocalOptions
            {
                Home = home, PortBase = _placement.PortBase, SentinelPortBase = _placement.SentinelPortBase, ZoneNetwork = _placement.ZoneNetwork,
                ZoneNamespaces = _placement.ZoneNamespaces,
            }, loggers, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// What survives a crash of the control plane: it goes away without touching its nodes (the same way the
    /// integration tests crash it). Bounded, so a control plane that does not stop is a reported failure, not a hang.
    /// </summary>
    public async Task CrashControlPlaneAsync(CancellationToken cancellationToken)
    {
        var controlPlane = _controlPlane;
        _controlPlane = null;
        if (controlPlane is not null)
        {
            await controlPlane.StopAsync(stopNodes: false, cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            await controlPlane.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The resource as the control plane reports it; null while there is no control plane.</summary>
    public async Task<RedisResource?> ResourceAsync(CancellationToken cancellationToken)
    {
        var controlPlane = _controlPlane;
        if (controlPlane is null)
        {
            return null;
        }

        try
        {
            return await controlPlane.GetAsync(Namespace, ResourceName, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Crashed by the bench between the read of the field and the call.
            return null;
        }
    }

    public async Task<RedisStatus> StatusAsync(CancellationToken cancellationToken) =>
        (await ResourceAsync(cancellationToken).ConfigureAwait(false))?.Status ?? new RedisStatus();

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
        if (_controlPlane is { } controlPlane)
        {
            try
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await controlPlane.StopAsync(stopNodes: true, limit.Token).ConfigureAwait(false);
            }
            finally
            {
                await controlPlane.DisposeAsync().ConfigureAwait(false);
            }
        }

        // Whatever survived a failed stop (a frozen node, say) is killed: nothing the bench started outlives it.
        Signals.KillEverythingUnder(home);
    }
}
