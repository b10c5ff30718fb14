using k8s;
using Microsoft.Extensions.Logging;
using Redoubt.Core.Control;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// The operator process: a KubernetesClient, leader election, and a <see cref="ControllerTerm"/> while leading; with
/// <see cref="OperatorOptions.Dashboard"/>, the dashboard's view of the resources beside them, whether it leads or not.
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly bool _ownsClient;
    private readonly OperatorOptions _options;
    private readonly IResourceReconcilerFactory _reconcilers;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;

    public OperatorHost(IKubernetes client, bool ownsClient, OperatorOptions options, IResourceReconcilerFactory reconcilers, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _client = client;
        _ownsClient = ownsClient;
        _options = options;
        _reconcilers = reconcilers;
        _loggerFactory = loggerFactory;
        _time = time;
        Leadership = new Leadership(options);
        Dashboard = options.Dashboard ? new OperatorDashboard(client, options, Leadership, loggerFactory, time) : null;
    }

    public Leadership Leadership { get; }

    /// <summary>What the dashboard shows and asks of this operator; null unless <see cref="OperatorOptions.Dashboard"/>.</summary>
    public OperatorDashboard? Dashboard { get; }

    public static OperatorHost Create(OperatorOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        // As kubectl: --kubeconfig, else $KUBECONFIG, else ~/.kube/config, else the pod's ServiceAccount.
        var config = options.Kubeconfig is { } file
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(file)
            : KubernetesClientConfiguration.BuildDefaultConfig();
        return new OperatorHost(new k8s.Kubernetes(config), ownsClient: true, options, new ResourceReconcilerFactory(loggerFactory, time, options.Telemetry), loggerFactory, time);
    }

    /// <summary>
    /// The resources, with their status, while this instance leads; none while it does not, so that only the leader
    /// exports what the status says (the backup metrics) and a replica's scrape does not count them twice.
    /// </summary>
    public async Task<IReadOnlyList<Model.RedisResource>> LedResourcesAsync(CancellationToken ct)
    {
        if (Leadership.Loop is null)
        {
            return [];
        }

        if (Dashboard is not null)
        {
            return await Dashboard.ListAsync(ct);
        }

        var (items, _) = await new RedisApi(_client).ListAsync(_options.WatchNamespace, ct);
        return [.. items.Select(ResourceConversion.Shown)];
    }

    /// <summary>Runs until <paramref name="ct"/> fires, then stops reconciling and releases the Lease.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var dashboard = Dashboard?.RunAsync(ct) ?? Task.CompletedTask;
        var term = new ControllerTerm(_client, _options, _reconcilers, Leadership, _loggerFactory, _time);
        await (_options.LeaderElection
            ? new LeaderElection(_client, _options, Leadership, _loggerFactory.CreateLogger<LeaderElection>()).RunAsync(term.RunAsync, ct)
            : term.RunAsync(ct));
        await dashboard;
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
