using System.Collections.Concurrent;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Redoubt.Core.Control;
using Redoubt.Core.Platform;
using Redoubt.Core.Reconcile;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Backups;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Platform;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// Where Redis objects come from and where their status goes, for Core's control loop. Read fresh every pass, an
/// object is handled in turn for deletion (the loop disposes its reconciler, then cleanup, then the finalizer goes),
/// the pause annotation, the finalizer and validation; a valid one is reconciled, and the pass's status goes to the
/// status subresource, its roles to the pods' labels and its events to Kubernetes Events.
/// </summary>
public sealed partial class RedisController : IResourceSource<RedisObject>
{
    public const string Finalizer = "redoubt.io/cleanup";

    private readonly RedisApi _api;
    private readonly KubernetesPlatform _platform;
    private readonly EventRecorder _events;
    private readonly RoleLabels _roles;
    private readonly BackupJobs? _backups;
    private readonly Func<string, string, IReadOnlyCollection<V1Pod>> _podsOf;
    private readonly OperatorOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastEventTime = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastStatusWrite = new();

    // The Reconciled=False condition written for a failing resource: the reconciler's own status does not have it.
    private readonly ConcurrentDictionary<string, StatusCondition> _failures = new();

    public RedisController(
        RedisApi api,
        KubernetesPlatform platform,
        EventRecorder events,
        RoleLabels roles,
        Func<string, string, IReadOnlyCollection<V1Pod>> podsOf,
        OperatorOptions options,
        ILogger<RedisController> logger,
        TimeProvider time,
        BackupJobs? backups = null)
    {
        _backups = backups;
        _api = api;
        _platform = platform;
        _events = events;
        _roles = roles;
        _podsOf = podsOf;
        _options = options;
        _logger = logger;
        _time = time;
    }

    public async Task<ResourceRead<RedisObject>> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ResourceKey.Split(key);
        var item = await _api.GetAsync(ns, name, cancellationToken);
        if (item is null)
        {
            // Gone without our finalizer (deleted before we first saw it, or the finalizer removed by hand).
            return new ResourceRead<RedisObject>.Gone(null);
        }

        if (item.Metadata.DeletionTimestamp is not null)
        {
            return new ResourceRead<RedisObject>.Gone(item);
        }

        if (Annotations.IsTrue(item.Metadata.Annotations, Annotations.Paused))
        {
            await MarkPausedAsync(item, cancellationToken);
            return new ResourceRead<RedisObject>.Held(PassResult.Done);
        }

        if (item.Metadata.Finalizers?.Contains(Finalizer) != true)
        {
            item = await _api.SetFinalizersAsync(item, [.. item.Metadata.Finalizers ?? [], Finalizer], cancellationToken);
            LogFinalizerAdded();
        }

        var load = ResourceConversion.ToResource(item);
        if (load.Errors.Count > 0)
        {
            await ReportInvalidAsync(item, load.Errors, cancellationToken);
            // Terminal: retrying cannot help; the next change of the object brings the next pass.
            return new ResourceRead<RedisObject>.Held(PassResult.Done);
        }

        var resource = load.Resources[0];
        return new ResourceRead<RedisObject>.Found(item, resource);
    }

    public RedisStatus? SavedStatusOf(ResourceRead<RedisObject>.Found found)
    {
        // A status this version cannot read starts a fresh history; it is rewritten at the end of the pass.
        var stored = StatusJson.Read(found.Item.Status);

        if (stored?.Events is { Count: > 0 } events)
        {
            _lastEventTime[found.Item.Key] = events.Max(e => e.Time);
        }

        return stored;
    }

    public async Task<PassResult> ReportAsync(ResourceRead<RedisObject>.Found found, ReconcileOutcome outcome, CancellationToken cancellationToken)
    {
        var item = found.Item;
        var status = outcome.Status;
        status.ObservedGeneration = item.Metadata.Generation ?? 0;
        var now = _time.GetUtcNow();
        if (_failures.TryRemove(item.Key, out var failure))
        {
            // So that the recovery is a transition, at this pass's time.
            status.Conditions = [.. status.Conditions.Where(c => c.Type != StatusConditions.Reconciled), failure];
        }

        status.Conditions = ConditionTransitions.Set(status.Conditions, StatusConditions.SpecValid, "True", "Valid", "the spec is valid", now);
        status.Conditions = ConditionTransitions.Set(status.Conditions, StatusConditions.Reconciled, "True", "PassCompleted", "the last pass completed", now)
            .Where(c => c.Type != StatusConditions.Paused).ToList();
        // The stored backup block is read only where there is one: most resources have none, and the pass has its status.
        var storedBackup = item.Status?["backup"] is null ? null : StatusJson.Read(item.Status)?.Backup;
        var backups = _backups is null ? BackupPlan.Nothing : await _backups.PlanAsync(found.Resource, storedBackup, status, cancellationToken);
        status.Backup = backups.Status;
        status.Events = [.. status.Events, .. backups.Events];
        status.Conditions = [.. status.Conditions.Where(c => c.Type is not (BackupPlanner.ConditionBackups or BackupPlanner.ConditionRestoring) || backups.Conditions.Any(b => b.Type == c.Type))];
        foreach (var condition in backups.Conditions)
        {
            status.Conditions = ConditionTransitions.Set(status.Conditions, condition.Type, condition.Status, condition.Reason, condition.Message, now);
        }

        await WriteStatusAsync(item, status, cancellationToken);
        if (_backups is not null)
        {
            // Only once the status holds what finished Jobs did, and what the new ones are for.
            await _backups.ApplyAsync(found.Resource, backups, cancellationToken);
        }

        await _roles.ApplyAsync(status, _podsOf(item.Metadata.NamespaceProperty, item.Metadata.Name), cancellationToken);
        await RecordNewEventsAsync(item, status, cancellationToken);
        if (backups.RequeueAfter is { } soon && (outcome.RequeueAfter is null || soon < outcome.RequeueAfter))
        {
            outcome = outcome with { RequeueAfter = soon };
        }

        var requeue = outcome.RequeueAfter ?? _options.ResyncPeriod;
        return PassResult.After(requeue < _options.ResyncPeriod ? requeue : _options.ResyncPeriod);
    }

    public async Task ReportFailureAsync(string key, Exception error, TimeSpan retryIn, CancellationToken cancellationToken)
    {
        var (ns, name) = ResourceKey.Split(key);
        if (await _api.GetAsync(ns, name, cancellationToken) is not { } item)
        {
            return;
        }

        var what = PassFailure.Describe(error);
        var status = ReadStatus(item);
        status.Conditions = ConditionTransitions.Set(status.Conditions, StatusConditions.Reconciled, "False", "PassFailed",
            $"{what} (retrying in {retryIn.TotalSeconds:0.#} s)", _time.GetUtcNow());
        _failures[key] = status.Conditions.Single(c => c.Type == StatusConditions.Reconciled);
        await WriteStatusAsync(item, status, cancellationToken);
        // Without the retry delay, so the recorder's de-duplication keeps one event per distinct failure.
        await _events.RecordAsync(item, "Warning", "PassFailed", what, cancellationToken);
    }

    public async Task ReleaseAsync(string key, RedisObject? item, CancellationToken cancellationToken)
    {
        Forget(key);
        if (item?.Metadata.Finalizers?.Contains(Finalizer) != true)
        {
            return;
        }

        LogCleaningUp();
        await _platform.DeleteAllAsync(item.Metadata.NamespaceProperty, item.Metadata.Name, cancellationToken);
        await _events.RecordAsync(item, "Normal", "CleanedUp", "Sentinels, Redis nodes, Services, configs and the auth Secret deleted", cancellationToken);
        await _api.SetFinalizersAsync(item, [.. item.Metadata.Finalizers.Where(f => f != Finalizer)], cancellationToken);
        _events.Forget(item.Metadata.Uid ?? "");
        LogFinalizerRemoved();
    }

    /// <summary>
    /// A Redis pod's container terminated or the pod is going away: the master Service stops pointing at it at once,
    /// beside the reconciler's fast path (the control loop hands it the same event).
    /// </summary>
    public async Task StopSelectingAsync(NodeEvent nodeEvent, V1Pod pod, bool podGone, CancellationToken ct)
    {
        if (nodeEvent.Kind == NodeKind.Redis && nodeEvent.Event != NodeEventKind.Started && !podGone
            && pod.Metadata.Labels.Get(Labels.Role) == Labels.RoleMaster)
        {
            await _roles.SetAsync(pod, null, ct);
        }
    }

    public void Invalidate(string key) => _platform.Invalidate(key);

    private void Forget(string key)
    {
        _platform.Invalidate(key);
        _lastEventTime.TryRemove(key, out _);
        _lastStatusWrite.TryRemove(key, out _);
        _failures.TryRemove(key, out _);
    }
    private async Task MarkPausedAsync(RedisObject item, CancellationToken ct)
    {
        LogPaused();
        var status = ReadStatus(item);
        status.Conditions = ConditionTransitions.Set(status.Conditions, StatusConditions.Paused, "True", "PausedByAnnotation",
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
        status.Conditions = ConditionTransitions.Set(status.Conditions, StatusConditions.SpecValid, "False", "InvalidSpec", message, _time.GetUtcNow());
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

    private static RedisStatus ReadStatus(RedisObject item) => StatusJson.Read(item.Status) ?? new RedisStatus();
}
