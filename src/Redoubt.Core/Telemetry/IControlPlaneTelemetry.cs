namespace Redoubt.Core.Telemetry;

/// <summary>
/// What a control plane reports for its metrics: the control loop its passes and queue, each reconciler its resource
/// (<see cref="IResourceTelemetry"/>). Core knows no exporter; <see cref="NoTelemetry"/> reports nowhere.
/// </summary>
public interface IControlPlaneTelemetry
{
    /// <summary>Where the reconciler of <paramref name="resourceKey"/> (namespace/name) reports.</summary>
    IResourceTelemetry Resource(string resourceKey);

    /// <summary>A pass of the control loop ended, after <paramref name="took"/>; <paramref name="failed"/> when it threw.</summary>
    void PassFinished(TimeSpan took, bool failed);

    /// <summary>How to read the number of keys waiting for a pass, read when metrics are collected (never per pass).</summary>
    void WatchQueue(Func<int> depth);

    /// <summary>The resource is gone (deleted, or no longer this control plane's): its series go with it.</summary>
    void ResourceGone(string resourceKey);
}
