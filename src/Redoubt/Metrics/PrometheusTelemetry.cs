using System.Collections.Concurrent;
using Prometheus;
using Redoubt.Core.Telemetry;

namespace Redoubt.Metrics;

/// <summary>
/// A control plane's metrics in Prometheus form: what Core reports through <see cref="IControlPlaneTelemetry"/> lands in
/// a registry of this control plane's own, which <see cref="MetricsRoute"/> serves.
/// </summary>
public sealed class PrometheusTelemetry : IControlPlaneTelemetry
{
    private readonly ConcurrentDictionary<string, ResourceMetrics> _resources = new(StringComparer.Ordinal);
    private readonly MetricFamilies _families;

    public PrometheusTelemetry()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        _families = new MetricFamilies(Registry);
    }

    public CollectorRegistry Registry { get; }

    public IResourceTelemetry Resource(string resourceKey) =>
        _resources.GetOrAdd(resourceKey, key => new ResourceMetrics(_families, key));

    public void PassFinished(TimeSpan took, bool failed)
    {
        _families.PassDuration.Observe(took.TotalSeconds);
        if (failed)
        {
            _families.PassErrors.Inc();
        }
    }

    public void WatchQueue(Func<int> depth) => Registry.AddBeforeCollectCallback(() => _families.QueueDepth.Set(depth()));

    /// <summary>Before every scrape, the backup series of the resources <paramref name="resources"/> lists (<see cref="BackupMetrics"/>).</summary>
    public void WatchBackups(Func<CancellationToken, Task<IReadOnlyList<Model.RedisResource>>> resources)
    {
        var backups = new BackupMetrics(_families);
        Registry.AddBeforeCollectCallback(async cancellationToken => backups.Set(await resources(cancellationToken)));
    }

    public void ResourceGone(string resourceKey)
    {
        if (_resources.TryRemove(resourceKey, out var resource))
        {
            resource.Remove();
        }
    }
}
