using Redoubt.Core.Healing;
using Redoubt.Model;

namespace Redoubt.Core.Telemetry;

/// <summary>What one resource's reconciler reports: each pass's sample, each failover, each heal action carried out.</summary>
public interface IResourceTelemetry
{
    void Observed(ResourceSample sample);

    void FailedOver(FailoverRecord failover);

    void Healed(HealAction action);
}
