using Redoubt.Core.Healing;
using Redoubt.Model;

namespace Redoubt.Core.Telemetry;

/// <summary>Reports nowhere: the default when no metrics are served (the web listener is off, tests of the loop).</summary>
public sealed class NoTelemetry : IControlPlaneTelemetry, IResourceTelemetry
{
    public static readonly NoTelemetry Instance = new();

    private NoTelemetry()
    {
    }

    public IResourceTelemetry Resource(string resourceKey) => this;

    public void PassFinished(TimeSpan took, bool failed)
    {
    }

    public void WatchQueue(Func<int> depth)
    {
    }

    public void ResourceGone(string resourceKey)
    {
    }

    public void Observed(ResourceSample sample)
    {
    }

    public void FailedOver(FailoverRecord failover)
    {
    }

    public void Healed(HealAction action)
    {
    }
}
