using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Redoubt.Core.Control;
using Redoubt.Platforms.Kubernetes.Platform;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// The controller for one leadership term: watches on Redis objects, their pods, StatefulSets and Deployments feed
/// resource keys into Core's control loop, which runs one pass per key at a time; pod changes that are node events
/// go to the platform's event stream, which the loop hands to the reconcilers' fast path. When the term ends (shutdown or a
/// lost Lease), no new pass starts, passes in flight get <see cref="OperatorOptions.ShutdownGrace"/> to finish,
/// then everything stops. Nothing survives the term: the next one starts from what the API server says.
/// </summary>
public sealed partial class ControllerTerm
{
    private readonly IKubernetes _client;
    private readonly OperatorOptions _options;
    private readonly IResourceReconcilerFactory _reconcilers;
    private readonly Leadership _leadership;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Label changes that stop the master Service selecting a master that went away; awaited before the term ends.
    private readonly ConcurrentDictionary<Task, byte> _labelTasks = new();

    public ControllerTerm(IKubernetes client, OperatorOptions options, IResourceReconcilerFactory reconcilers, Leadership leadership, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _client = client;
        _options = options;
        _reconcilers = reconcilers;
        _leadership = leadership;
        _loggerFactory = loggerFactory;
        _time = time;
        _logger = loggerFactory.CreateLogger<ControllerTerm>();
    }

    /// <summary>What the API server serves; asked again until it answers (a term that ended here would end the process).</summary>
    private async Task<ServerCapabilities> DiscoverAsync(CancellationToken ct)
    {
        var retry = new ExponentialBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
        for (var failures = 0; ; failures++)
        {
            try
            {
                var server = await ServerCapabilities.DiscoverAsync(_client, ct);
                LogServer(server.Version, server.PodDisruptionBudgetVersion, server.PvcRetentionPolicy);
                return server;
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException && !ct.IsCancellationRequested)
            {
                var delay = retry.Delay(failures);
                LogDiscoveryFailed(delay.TotalMilliseconds, e);
                await Task.Delay(delay, _time, ct);
            }
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var api = new RedisApi(_client);
        var server = await DiscoverAsync(ct);
        var platform = new KubernetesPlatform(_client, _options.Manifests, server, _options.ReapplyPeriod, _time, _loggerFactory.CreateLogger<KubernetesPlatform>());
        var events = new EventRecorder(_client, _options.Identity, _time, _loggerFactory.CreateLogger<EventRecorder>());

        ObjectWatch<V1Pod>? pods = null;
        IReadOnlyCollection<V1Pod> PodsOf(string ns, string name) =>
            [.. (pods?.Items ?? []).Where(p => p.Metadata.NamespaceProperty == ns && PodChanges.ResourceOf(p) == name)];

        var backups = new BackupJobs(_client, api, _options, _loggerFactory.CreateLogger<BackupJobs>(), _time);
        var controller = new RedisController(api, platform, events, new RoleLabels(_client), PodsOf, _options,
            _loggerFactory.CreateLogger<RedisController>(), _time, backups);
        var loopOptions = new ControlLoopOptions { Workers = _options.Workers, Backoff = _options.Backoff, ShutdownGrace = _options.ShutdownGrace, Telemetry = _options.Telemetry };
        await using var loop = new ControlLoop<RedisObject>(platform, controller, _reconcilers, loopOptions, _loggerFactory.CreateLogger<ControlLoop<RedisObject>>(), _time);
        // Disposed before the loop: a request from outside (a switchover) finds the loop only while the term runs.
        using var leading = _leadership.Lead(loop);
        using var stopWatches = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var (listRedis, watchRedis) = WatchSources.Redises(api, _options.WatchNamespace);
        var redises = new ObjectWatch<RedisObject>("Redis", listRedis, watchRedis, (type, previous, current) =>
        {
            if (RedisChanges.Matters(type, previous, current))
            {
                controller.Invalidate(current.Key);
                loop.Enqueue(current.Key);
            }
        }, _loggerFactory.CreateLogger<ObjectWatch<RedisObject>>(), _time, _options.WatchTimeout);

        var (listPods, watchPods) = WatchSources.Pods(_client, _options.WatchNamespace);
        pods = new ObjectWatch<V1Pod>("Pod", listPods, watchPods, (type, previous, current) =>
        {
            if (PodChanges.ResourceOf(current) is not { } name)
            {
                return;
            }

            var key = ResourceKey.Of(current.Metadata.NamespaceProperty, name);
            if (PodChanges.NodeEventFor(type, previous, current, _time.GetUtcNow()) is { } nodeEvent)
            {
                platform.Report(nodeEvent);
                Track(controller.StopSelectingAsync(nodeEvent, current, type == WatchEventType.Deleted, stopWatches.Token));
            }

            if (type == WatchEventType.Deleted || PodChanges.Matters(previous, current))
            {
                loop.Enqueue(key);
            }
        }, _loggerFactory.CreateLogger<ObjectWatch<V1Pod>>(), _time, _options.WatchTimeout);

        void OwnedChanged(WatchEventType type, IKubernetesObject<V1ObjectMeta> item)
        {
            if (PodChanges.ResourceOf(item) is { } name)
            {
                var key = ResourceKey.Of(item.Metadata.NamespaceProperty, name);
                if (type == WatchEventType.Deleted)
                {
                    // Someone removed an object we keep: the next pass must apply, not trust what it applied last.
                    controller.Invalidate(key);
                }

                loop.Enqueue(key);
            }
        }

        var (listSets, watchSets) = WatchSources.StatefulSets(_client, _options.WatchNamespace);
        var statefulSets = new ObjectWatch<V1StatefulSet>("StatefulSet", listSets, watchSets, (type, _, current) => OwnedChanged(type, current),
            _loggerFactory.CreateLogger<ObjectWatch<V1StatefulSet>>(), _time, _options.WatchTimeout);
        var (listDeployments, watchDeployments) = WatchSources.Deployments(_client, _options.WatchNamespace);
        var deployments = new ObjectWatch<V1Deployment>("Deployment", listDeployments, watchDeployments, (type, _, current) => OwnedChanged(type, current),
            _loggerFactory.CreateLogger<ObjectWatch<V1Deployment>>(), _time, _options.WatchTimeout);

        Task[] watches =
        [
            redises.RunAsync(stopWatches.Token),
            pods.RunAsync(stopWatches.Token),
            statefulSets.RunAsync(stopWatches.Token),
            deployments.RunAsync(stopWatches.Token),
        ];

        // Pods first: the first passes label pods, and need to see them.
        await Task.WhenAny(Task.WhenAll(pods.Synced, redises.Synced), Task.Delay(Timeout.Infinite, ct)).ContinueWith(_ => { }, TaskScheduler.Default);
        LogStarted(_options.Workers);

        // Until the term ends; then passes in flight get the grace, and every reconciler is disposed.
        await loop.RunAsync(ct);
        await stopWatches.CancelAsync();
        await Task.WhenAll(watches);
        await Task.WhenAll(_labelTasks.Keys);
        platform.Complete();
        LogStopped();
    }

    private void Track(Task task)
    {
        _labelTasks[task] = 0;
        _ = task.ContinueWith(t =>
        {
            _labelTasks.TryRemove(t, out _);
            if (t.Exception is { } e)
            {
                LogUnlabelFailed(e.GetBaseException());
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
