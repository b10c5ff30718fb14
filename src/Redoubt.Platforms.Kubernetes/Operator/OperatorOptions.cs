using Redoubt.Core.Control;
using Redoubt.Core.Telemetry;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>How <c>redoubt operator</c> runs; every value has a default that suits an in-cluster Deployment.</summary>
public sealed record OperatorOptions
{
    /// <summary>A kubeconfig file; null looks where kubectl does: $KUBECONFIG, ~/.kube/config, then the pod's ServiceAccount.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Watch one namespace only; null watches all (the ClusterRole in deploy/ allows it).</summary>
    public string? WatchNamespace { get; init; }

    public bool LeaderElection { get; init; } = true;

    /// <summary>Where the Lease lives: the operator's own namespace (POD_NAMESPACE in the Deployment).</summary>
    public string LeaseNamespace { get; init; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "redoubt-system";

    public string LeaseName { get; init; } = "redoubt-operator";

    /// <summary>This instance's name in the Lease: the pod name in a cluster.</summary>
    public string Identity { get; init; } = Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : $"{Environment.MachineName}-{Guid.NewGuid():N}";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A pass at least this often per resource even when nothing changed and the reconciler asked for none.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Objects are re-applied when the desired ones change or an owned object changed, and at least this often.</summary>
    public TimeSpan ReapplyPeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Status changes that matter (phase, master, roles, conditions) are written at once; offsets at most this often.</summary>
    public TimeSpan StatusRefreshPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one watch request lasts before it is renewed from the last version seen. Shorter where a proxy or load
    /// balancer in front of the API server cuts long-lived connections.
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = DefaultWatchTimeout;

    public static readonly TimeSpan DefaultWatchTimeout = TimeSpan.FromMinutes(5);

    public int Workers { get; init; } = 2;

    /// <summary>How long in-flight passes may run after shutdown begins before they are cancelled.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    public ExponentialBackoff Backoff { get; init; } = ExponentialBackoff.Default;

    public ManifestOptions Manifests { get; init; } = new();

    /// <summary>The image backup and restore Jobs run (it needs redoubt, redis-server and redis-check-rdb); null: the operator's own.</summary>
    public string? JobImage { get; init; }

    /// <summary>
    /// Keep the dashboard's view of the resources (<see cref="OperatorHost.Dashboard"/>): one more watch of the Redis
    /// objects, on every replica, leading or not. Off unless the dashboard is served.
    /// </summary>
    public bool Dashboard { get; init; }

    /// <summary>Where the control loop and the reconcilers report metrics (the operator's /metrics).</summary>
    public IControlPlaneTelemetry Telemetry { get; init; } = NoTelemetry.Instance;
}
