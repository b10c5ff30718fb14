using System.Diagnostics;

namespace Redoubt.Bench.Clusters;

/// <summary>One setup under test: 1 master + 2 replicas + 3 Sentinels on loopback, with auth.</summary>
internal abstract class BenchCluster : IAsyncDisposable
{
    public const string MasterName = "mymaster";
    public const int Replicas = 2;

    private HealthProbe? _probe;

    public abstract string Name { get; }

    public IReadOnlyList<string> Sentinels { get; protected set; } = [];

    public string? Password { get; protected set; }

    public HealthProbe Probe => _probe ??= new HealthProbe(Sentinels, MasterName, Password, Replicas);

    public abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>The pid of the redis-server serving <paramref name="address"/>.</summary>
    public abstract Task<int> PidOfAsync(string address, CancellationToken cancellationToken);

    /// <summary>Called right after the master was killed: a setup with no supervisor of its own brings it back here.</summary>
    public virtual void OnNodeKilled(string address, CancellationToken cancellationToken)
    {
    }

    /// <summary>Extra readiness a setup reports about itself (Redoubt: phase Ready), on top of the probe.</summary>
    protected virtual Task<string?> NotReadyBecauseAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>Waits until the probe (and the setup itself) says healthy; returns the master, or throws after <paramref name="limit"/>.</summary>
    public async Task<string> WaitHealthyAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < limit)
        {
            var verdict = await Probe.CheckAsync(cancellationToken).ConfigureAwait(false);
            var own = verdict.Healthy ? await NotReadyBecauseAsync(cancellationToken).ConfigureAwait(false) : null;
            if (verdict.Healthy && own is null)
            {
                return verdict.Master!;
            }

            last = own ?? verdict.Detail;
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"{Name} did not become healthy within {limit.TotalSeconds:F0} s: {last}");
    }

    public abstract ValueTask DisposeAsync();
}
