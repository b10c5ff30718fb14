using System.Collections.Concurrent;
using System.Text.Json;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Redoubt.Core.Platform;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Platform;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// One reconcile pass for one key, level-based: the object is read fresh, and the pass handles in turn deletion
/// (cleanup, then the finalizer goes), the pause annotation, the finalizer, validation, then Core's reconciler,
/// whose status goes to the status subresource, whose roles go to the pods' labels and whose events become
/// Kubernetes Events. It returns when to look again; an exception means "retry with backoff".
/// </summary>
public sealed partial class RedisController : IAsyncDisposable
{
    public const string Finalizer = "redoubt.io/cleanup";

    private readonly RedisApi _api;
    private readonly KubernetesPlatform _platform;
    private readonly ResourceRegistry _registry;
    private readonly IResourceReconcilerFactory _factory;
    private readonly EventRecorder _events;
    private readonly RoleLabels _roles;
    private readonly Func<string, string, IReadOnlyCollection<V1Pod>> _podsOf;
    private readonly OperatorOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, IResourceReconciler> _reconcilers = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastEventTime = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastStatusWrite = new();

    public RedisController(
        RedisApi api,
        KubernetesPlatform platform,
        ResourceRegistry registry,
        IResourceReconcilerFactory factory,
        EventRecorder events,
        RoleLabels roles,
        Func<string, string, IReadOnlyCollection<V1Pod>> podsOf,
        OperatorOptions options,
        ILogger<RedisController> logger,
        TimeProvider time)
    {
        _api = api;
        _platform = platform;
        _registry = registry;
        _factory = factory;
        _events = events;
        _roles = roles;
        _podsOf = podsOf;
        _options = options;
        _logger = logger;
        _time = time;
    }

    public async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken ct)
    {
        var (ns, name) = ResourceKey.Split(key);
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["resource"] = key });
        var item = await _api.GetAsync(ns, name, ct);
        if (item is null)
        {
            // Gone without our finalizer (deleted before we first saw it, or the finalizer removed by hand).
            await ForgetAsync(key);
            return null;
        }

        if (item.Metadata.DeletionTimestamp is not null)
        {
            await FinalizeAsync(item, ct);
            return null;
        }

        if (Annotations.IsTrue(item.Metadata.Annotations, Annotations.Paused))
        {
            await MarkPausedAsync(item, ct);
            return null;
        }

        if (item.Metadata.Finalizers?.Contains(Finalizer) != true)
        {
            item = await _api.SetFinalizersAsync(item, [.. item.Metadata.Finalizers ?? [], Finalizer], ct);
            LogFinalizerAdded();
        }

        var load = ResourceConversion.ToResource(item);
        if (load.Errors.Count > 0)
        {
            await ReportInvalidAsync(item, load.Errors, ct);
            // Terminal: retrying cannot help; the next change of the object brings the next pass.
            return null;
        }

        var resource = load.Resources[0];
        _registry.Set(resource);
        var reconciler = _reconcilers.GetOrAdd(key, _ => Create(key, item));
        var outcome = await reconciler.ReconcileAsync(resource, ct);
        var status = outcome.Status;
        status.ObservedGeneration = item.Metadata.Generation ?? 0;
        status.Conditions = StatusConditions.Set(status.Conditions, StatusConditions.SpecValid, "True", "Valid", "the spec is valid", _time.GetUtcNow())
            .Where(c => c.Type != StatusConditions.Paused).ToList();
        await WriteStatusAsync(item, status, ct);
        await _roles.ApplyAsync(status, _podsOf(ns, name), ct);
        await RecordNewEventsAsync(item, status, ct);
        var requeue = outcome.RequeueAfter ?? _options.ResyncPeriod;
        return requeue < _options.ResyncPeriod ? requeue : _options.ResyncPeriod;
    }

    /// <summary>
    /// A Redis pod's container terminated or the pod is going away: stop the master Service pointing at it at once,
    /// then let the reconciler take its fast path (it acts only when that node was the master).
    /// </summary>
    public async Task OnNodeEventAsync(NodeEvent nodeEvent, V1Pod pod, bool podGone, CancellationToken ct)
    {
        if (nodeEvent.Kind == NodeKind.Redis && nodeEvent.Event != NodeEventKind.Started && !podGone
            && pod.Metadata.Labels.Get(Labels.Role) == Labels.RoleMaster)
        {
            await _roles.SetAsync(pod, null, ct);
        }

        if (_reconcilers.TryGetValue(nodeEvent.ResourceKey, out var reconciler) && _registry.TryGet(nodeEvent.ResourceKey) is { } resource
            && !Annotations.IsTrue(resource.Metadata.Annotations, Annotations.Paused))
        {
            LogNodeEvent(nodeEvent.NodeName, nodeEvent.Event.ToString(), nodeEvent.Detail);
            await reconciler.OnNodeEventAsync(resource, nodeEvent, ct);
        }
    }

    public void Invalidate(string key) => _platform.Invalidate(key);

    public async ValueTask DisposeAsync()
    {
        foreach (var key in _reconcilers.Keys)
        {
            if (_reconcilers.TryRemove(key, out var reconciler))
            {
                await reconciler.DisposeAsync();
            }
        }
    }

    private IResourceReconciler Create(string key, RedisObject item)
    {
        RedisStatus? stored = null;
        if (item.Status is { } status)
        {
            try
            {
                stored = status.Deserialize<RedisStatus>(StatusJson.Options);
            }
            catch (JsonException)
            {
                // A status this version cannot read starts a fresh history; it is rewritten at the end of the pass.
            }
        }

        if (stored?.Events is { Count: > 0 } events)
        {
            _lastEventTime[key] = events.Max(e => e.Time);
        }

        return _factory.Create(key, _platform, stored);
    }

    private async Task FinalizeAsync(RedisObject item, CancellationToken ct)
    {
        if (item.Metadata.Finalizers?.Contains(Finalizer) != true)
        {
            return;
        }

        LogCleaningUp();
        await ForgetAsync(item.Key);
        await _platform.DeleteAllAsync(item.Metadata.NamespaceProperty, item.Metadata.Name, ct);
        await _events.RecordAsync(item, "Normal", "CleanedUp", "Sentinels, Redis nodes, Services, configs and the auth Secret deleted", ct);
        await _api.SetFinalizersAsync(item, [.. item.Metadata.Finalizers.Where(f => f != Finalizer)], ct);
        _events.Forget(item.Metadata.Uid ?? "");
        LogFinalizerRemoved();
    }

    private async Task ForgetAsync(string key)
    {
        if (_reconcilers.TryRemove(key, out var reconciler))
        {
            await reconciler.DisposeAsync();
        }

        _registry.Remove(key);
        _platform.Invalidate(key);
        _lastEventTime.TryRemove(key, out _);
        _lastStatusWrite.TryRemove(key, out _);
    }

    private async Task MarkPausedAsync(RedisObject item, CancellationToken ct)
    {
        LogPaused();
        var status = ReadStatus(item);
        status.Conditions = StatusConditions.Set(status.Conditions, StatusConditions.Paused, "True", "PausedByAnnotation",
            $"{Annotations.Paused} is \"true\": Redoubt changes nothing until it is removed", _time.GetUtcNow());
        await WriteStatusAsync(item, status, ct);
        await _events.RecordAsync(item, "Normal", "Paused", $"reconcile paused by the {Annotations.Paused} annotation", ct);
    }

    private async Task ReportInvalidAsync(RedisObject item, IReadOnlyList<ValidationError> errors, CancellationToken ct)
    {
        var message = string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"));
        LogInvalid(message);
        var status = ReadStatus(item);
        status.Phase = Phases.Failed;
        status.ObservedGeneration = item.Metadata.Generation ?? 0;
        status.Conditions = StatusConditions.Set(status.Conditions, StatusConditions.SpecValid, "False", "InvalidSpec", message, _time.GetUtcNow());
        await WriteStatusAsync(item, status, ct);
        await _events.RecordAsync(item, "Warning", "InvalidSpec", message, ct);
    }

    private async Task WriteStatusAsync(RedisObject item, RedisStatus status, CancellationToken ct)
    {
        var wanted = RedisApi.StatusToJson(status);
        var change = StatusChange.Compare(item.Status, wanted);
        var now = _time.GetUtcNow();
        if (change == StatusChange.Kind.None
            || (change == StatusChange.Kind.Minor && _lastStatusWrite.TryGetValue(item.Key, out var last) && now - last < _options.StatusRefreshPeriod))
        {
            return;
        }

        await _api.PatchStatusAsync(item, wanted, ct);
        _lastStatusWrite[item.Key] = now;
    }

    private async Task RecordNewEventsAsync(RedisObject item, RedisStatus status, CancellationToken ct)
    {
        var since = _lastEventTime.GetValueOrDefault(item.Key, DateTimeOffset.MinValue);
        foreach (var e in status.Events.Where(e => e.Time > since).OrderBy(e => e.Time))
        {
            await _events.RecordAsync(item, e.Type, e.Reason, e.Message, ct);
            _lastEventTime[item.Key] = e.Time;
        }
    }

    private static RedisStatus ReadStatus(RedisObject item)
    {
        try
        {
            return item.Status?.Deserialize<RedisStatus>(StatusJson.Options) ?? new RedisStatus();
        }
        catch (JsonException)
        {
            return new RedisStatus();
        }
    }
}
