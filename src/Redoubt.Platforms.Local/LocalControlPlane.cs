using System.Text.Json;
using Microsoft.Extensions.Logging;
using Redoubt.Core;
using Redoubt.Core.Backup;
using Redoubt.Core.Control;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Telemetry;
using Redoubt.Model;

namespace Redoubt.Platforms.Local;

/// <summary>
/// The local control plane: holds the home (one at a time), keeps its resources in a <see cref="ResourceStore"/>, runs
/// Core's control loop over them on the local platform, and answers the command line. Starting it adopts whatever
/// nodes an earlier control plane left running.
/// </summary>
public sealed partial class LocalControlPlane : IControlPlane, IDashboardSource, IAsyncDisposable
{
    private static readonly ControlLoopOptions LoopOptions = new()
    {
        // Resources are independent: one whose pass waits on a silent node must not hold up the others.
        Workers = 8,
        // The first retry as soon as the old fixed one; a resource that keeps failing is retried at least every 30 s.
        Backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)),
        // Stopping the control plane leaves the nodes serving; a pass cut short is taken up by the next start.
        ShutdownGrace = TimeSpan.Zero,
    };

    private readonly LocalOptions _options;
    private readonly ILogger _logger;
    private readonly HomeLock _lock;
    private readonly LocalPlatform _platform;
    private readonly ResourceStore _store;
    private readonly LocalAdmission _admission;
    private readonly Backups.LocalBackups _backups;
    private readonly Backups.BackupScheduler _scheduler;
    private readonly Task _schedule;
    // Restores running now, by resource: its status shows a Restoring condition while the keys are replaced.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _restoring = new(StringComparer.Ordinal);
    private readonly ControlLoop<RedisResource> _loop;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private bool _stopped;

    private LocalControlPlane(LocalOptions options, ILoggerFactory loggerFactory, HomeLock homeLock, string redisVersion, IControlPlaneTelemetry telemetry)
    {
        _options = options;
        _logger = loggerFactory.CreateLogger("Redoubt.Local");
        _lock = homeLock;
        RedisVersion = redisVersion;
        _admission = new LocalAdmission(redisVersion, options.ExternalAddress);
        _store = new ResourceStore(options.Home, _logger, Changes);
        _platform = new LocalPlatform(options, loggerFactory.CreateLogger("Redoubt.Local.Platform"), TimeProvider.System);
        _backups = new Backups.LocalBackups(options, _platform, loggerFactory.CreateLogger("Redoubt.Local.Backups"), TimeProvider.System);
        _loop = new ControlLoop<RedisResource>(_platform, new LocalResourceSource(_store), new ResourceReconcilerFactory(loggerFactory, TimeProvider.System, telemetry),
            LoopOptions with { Telemetry = telemetry }, loggerFactory.CreateLogger("Redoubt.Control"), TimeProvider.System);
        _run = _loop.RunAsync(_stop.Token);
        _scheduler = new Backups.BackupScheduler(_backups, () => [.. _store.All.Select(r => _store.Snapshot(r.Key)).OfType<RedisResource>()], Changes.Publish,
            loggerFactory.CreateLogger("Redoubt.Local.Backups"), TimeProvider.System);
        _schedule = _scheduler.RunAsync(_stop.Token);
    }

    /// <summary>The installed redis-server version, e.g. "7.0.15".</summary>
    public string RedisVersion { get; }

    public string Home => _options.Home;

    /// <summary>Rings whenever a resource's status (or spec, or existence) changes: the dashboard's live feed.</summary>
    public StatusFeed Changes { get; } = new();

    /// <param name="telemetry">Where its metrics go; null: nowhere.</param>
    public static async Task<LocalControlPlane> StartAsync(LocalOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken, IControlPlaneTelemetry? telemetry = null)
    {
        var version = await InstalledRedis.VersionAsync(options, cancellationToken).ConfigureAwait(false);
        var controlPlane = new LocalControlPlane(options, loggerFactory, HomeLock.Take(options.Home), version, telemetry ?? NoTelemetry.Instance);
        foreach (var key in controlPlane._store.Load())
        {
            controlPlane._loop.Enqueue(key);
            LogResumed(controlPlane._logger, key);
        }

        return controlPlane;
    }

    public async Task<ApplyResult> ApplyAsync(string yaml, string fileName, CancellationToken cancellationToken)
    {
        var loaded = ResourceLoader.Load(yaml, fileName);
        var errors = loaded.Errors.Concat(loaded.Resources.SelectMany(r => _admission.Check(r, _store.Get(r.Key), fileName))).ToList();
        if (errors.Count > 0)
        {
            return new ApplyResult([], errors);
        }

        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new ApplyResult([.. loaded.Resources.Select(Apply)], []);
        }
        finally
        {
            _changes.Release();
        }
    }

    private AppliedResource Apply(RedisResource resource)
    {
        var stored = _store.Get(resource.Key);
        foreach (var requested in (string[])[ResourceAnnotations.RestartedAt, ResourceAnnotations.PasswordRotatedAt, ResourceAnnotations.PasswordGrace])
        {
            if (stored is not null && stored.Metadata.Annotations.TryGetValue(requested, out var value) && !resource.Metadata.Annotations.ContainsKey(requested))
            {
                // `redoubt restart` or `credentials --rotate` set it, not the file: applying the file again must not
                // count as a new request or a change.
                resource.Metadata.Annotations[requested] = value;
            }
        }

        if (stored is not null && JsonSerializer.Serialize(stored.Spec, ResourceSerializer.JsonOptions) == JsonSerializer.Serialize(resource.Spec, ResourceSerializer.JsonOptions)
            && Same(stored.Metadata.Labels, resource.Metadata.Labels) && Same(stored.Metadata.Annotations, resource.Metadata.Annotations))
        {
            return new AppliedResource(resource.Metadata.Namespace, resource.Metadata.Name, "unchanged", stored.Metadata.Generation);
        }

        resource.Metadata.Generation = (stored?.Metadata.Generation ?? 0) + 1;
        resource.Metadata.Uid = stored?.Metadata.Uid ?? Guid.NewGuid().ToString();
        resource.Status = null;
        _store.Save(resource);
        _loop.Enqueue(resource.Key);
        var change = stored is null ? "created" : "configured";
        LogApplied(_logger, resource.Key, change, resource.Metadata.Generation);
        return new AppliedResource(resource.Metadata.Namespace, resource.Metadata.Name, change, resource.Metadata.Generation);
    }

    private static bool Same(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public Task<IReadOnlyList<RedisResource>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RedisResource>>([.. _store.All.Select(r => Marked(_store.Snapshot(r.Key))).OfType<RedisResource>()]);

    /// <inheritdoc cref="LocalPlatform.Report"/>
    internal void ReportNodeEvent(NodeEvent nodeEvent) => _platform.Report(nodeEvent);

    public Task<RedisResource?> GetAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Marked(_store.Snapshot(Key(@namespace, name))));

    /// <summary>The resource as it is shown: with its backups, and a Restoring condition while a restore replaces its keys.</summary>
    private RedisResource? Marked(RedisResource? resource)
    {
        var backups = resource is null ? null : _scheduler.StatusOf(resource);
        var restoring = resource is not null && _restoring.ContainsKey(resource.Key);
        if (resource is null || (backups is null && !restoring))
        {
            return resource;
        }

        // The stored status is shared with the control loop: the marks go on a copy.
        var copy = ResourceSerializer.FromJson(ResourceSerializer.ToJson(resource));
        copy.Status ??= new RedisStatus();
        copy.Status.Backup = backups;
        if (!_restoring.TryGetValue(resource.Key, out var backup))
        {
            return copy;
        }

        copy.Status.Conditions.Add(new StatusCondition
        {
            Type = "Restoring",
            Status = "True",
            Reason = "RestoreInProgress",
            Message = $"backup {backup} is replacing every key: reads may miss keys and writes may be overwritten until it ends",
            LastTransitionTime = DateTimeOffset.UtcNow,
        });
        return copy;
    }

    public async Task<bool> DeleteAsync(string @namespace, string name, bool keepData, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var key = Key(@namespace, name);
            if (!_store.Remove(key))
            {
                return false;
            }

            // Nothing may act on the resource while its nodes stop: its reconciler goes first, awaited.
            await _loop.ReleaseAsync(key).ConfigureAwait(false);
            await _platform.StopResourceAsync(@namespace, name).ConfigureAwait(false);
            // With keepData, data, ports and password stay: applying the same name again brings the data back.
            _store.DeleteFiles(@namespace, name, keepData);
            LogDeleted(_logger, key, keepData);
            return true;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task<SwitchoverResult> FailoverAsync(string @namespace, string name, string? target, CancellationToken cancellationToken)
    {
        var resource = _store.Get(Key(@namespace, name)) ?? throw new RedoubtException($"no Redis named {name} in namespace {@namespace}");
        return await _loop.SwitchoverAsync(resource, target, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> RestartAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_store.Get(Key(@namespace, name)) is not { } stored)
            {
                return null;
            }

            var mark = ResourceAnnotations.Mark(DateTimeOffset.UtcNow);
            // Like `kubectl rollout restart`: an annotation, so the generation (the spec's version) stays as it is.
            var restarted = ResourceSerializer.FromJson(ResourceSerializer.ToJson(stored));
            restarted.Metadata.Annotations[ResourceAnnotations.RestartedAt] = mark;
            restarted.Status = null;
            _store.Save(restarted);
            _loop.Enqueue(restarted.Key);
            LogRestartRequested(_logger, restarted.Key, mark);
            return mark;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task<string?> RotatePasswordAsync(string @namespace, string name, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (grace < TimeSpan.Zero || grace > ResourceAnnotations.MaxGrace)
        {
            throw new RedoubtException($"grace: must be {ResourceAnnotations.GraceText}");
        }

        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_store.Get(Key(@namespace, name)) is not { } stored)
            {
                return null;
            }

            if (!SpecDefaults.Resolve(stored.Spec, PlatformDefaults.Local).AuthEnabled)
            {
                throw new RedoubtException($"redis {@namespace}/{name} has no password to rotate: its spec sets authEnabled: false");
            }

            var mark = ResourceAnnotations.Mark(DateTimeOffset.UtcNow);
            // Like the restart request: annotations, which the reconciler carries out and the next apply keeps.
            var rotated = ResourceSerializer.FromJson(ResourceSerializer.ToJson(stored));
            rotated.Metadata.Annotations[ResourceAnnotations.PasswordRotatedAt] = mark;
            rotated.Metadata.Annotations[ResourceAnnotations.PasswordGrace] = ResourceAnnotations.FormatGrace(grace);
            rotated.Status = null;
            _store.Save(rotated);
            _loop.Enqueue(rotated.Key);
            LogRotationRequested(_logger, rotated.Key, mark, ResourceAnnotations.FormatGrace(grace));
            return mark;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task<Credentials?> GetCredentialsAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        if (_store.Snapshot(Key(@namespace, name)) is not { } resource)
        {
            return null;
        }

        var plan = Planner.Plan(resource, defaults: PlatformDefaults.Local);
        var password = (await _platform.EnsureSecretsAsync(plan, cancellationToken).ConfigureAwait(false)).Application;
        var sentinels = resource.Status?.Sentinels is { Count: > 0 } known ? known : [];
        return new Credentials(@namespace, name, plan.MasterName, sentinels, resource.Status?.Master, plan.Spec.AuthEnabled, password)
        {
            CertificateAuthorityFile = plan.Spec.TlsEnabled ? _platform.Folder(@namespace, name).AuthorityFile : null,
            Endpoint = resource.Status?.Endpoint,
        };
    }

    public async Task<BackupResult> BackupAsync(string @namespace, string name, int? keep, CancellationToken cancellationToken)
    {
        if (keep is < 1)
        {
            throw new RedoubtException($"keep: must be at least 1, got {keep}");
        }

        var resource = _store.Snapshot(Key(@namespace, name)) ?? throw new RedoubtException($"no Redis named {name} in namespace {@namespace}");
        var result = await _backups.TakeAsync(resource, keep ?? BackupSchedule.RetentionOf(resource.Spec), cancellationToken).ConfigureAwait(false);
        await _scheduler.TakenAsync(resource, cancellationToken).ConfigureAwait(false);
        Changes.Publish(resource.Key);
        return result;
    }

    public async Task<IReadOnlyList<Core.Backup.BackupManifest>> ListBackupsAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        using var store = _backups.StoreFor(@namespace, name, _store.Snapshot(Key(@namespace, name))?.Spec);
        return await store.ListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<RestoreResult> RestoreAsync(string @namespace, string name, string from, CancellationToken cancellationToken)
    {
        var (sourceNamespace, sourceName, id) = from.Split('/') switch
        {
            [var only] when only.Length > 0 => (@namespace, name, only),
            [var source, var named] when source.Length > 0 && named.Length > 0 => (@namespace, source, named),
            [var ns, var source, var named] when ns.Length > 0 && source.Length > 0 && named.Length > 0 => (ns, source, named),
            _ => throw new RedoubtException($"from: \"{from}\" is not a backup: expected ID (a backup of {name}), SOURCE/ID or NAMESPACE/SOURCE/ID"),
        };
        // Where the source keeps its backups; a source deleted since is looked for where the target keeps its own.
        var spec = (_store.Snapshot(Key(sourceNamespace, sourceName)) ?? _store.Snapshot(Key(@namespace, name)))?.Spec;
        using var store = _backups.StoreFor(sourceNamespace, sourceName, spec);
        var backup = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        var created = false;
        if (_store.Snapshot(Key(@namespace, name)) is null)
        {
            await CreateForRestoreAsync(@namespace, name, backup, cancellationToken).ConfigureAwait(false);
            created = true;
        }

        var target = await ReadyAsync(Key(@namespace, name), cancellationToken).ConfigureAwait(false);
        var reference = $"{sourceNamespace}/{sourceName}/{id}";
        if (!_restoring.TryAdd(target.Key, reference))
        {
            throw new RedoubtException($"redis {target.Key} is already being restored (from {_restoring.GetValueOrDefault(target.Key)}); wait for that restore to end");
        }

        Core.Backup.RestoreReport report;
        try
        {
            Changes.Publish(target.Key);
            report = await _backups.RestoreAsync(target, store, backup, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _restoring.TryRemove(target.Key, out _);
            Changes.Publish(target.Key);
        }

        return new RestoreResult(reference, @namespace, name, created, report.KeysInBackup, report.KeysRestored, report.DurationMs);
    }

    private async Task CreateForRestoreAsync(string @namespace, string name, Core.Backup.BackupManifest backup, CancellationToken cancellationToken)
    {
        var spec = backup.Spec ?? throw new RedoubtException($"backup {backup.Id} does not say which spec it was taken with: create redis {@namespace}/{name} first, then restore into it");
        // Through the loader, as `apply` would: the new name and the old spec are checked like any file.
        var source = $"backup {backup.Id}";
        var loaded = ResourceLoader.Load(ResourceSerializer.ToYaml(new RedisResource { Metadata = new ObjectMeta { Namespace = @namespace, Name = name }, Spec = spec }), source);
        var errors = loaded.Errors.Concat(loaded.Resources.SelectMany(r => _admission.Check(r, null, source))).ToList();
        if (errors.Count > 0 || loaded.Resources.Count != 1)
        {
            throw new RedoubtException($"redis {@namespace}/{name} cannot be created from {source}'s spec: {string.Join("; ", errors.Select(e => e.ToString()))}");
        }

        var resource = loaded.Resources[0];

        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_store.Get(resource.Key) is null)
            {
                Apply(resource);
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>The resource once its status says Ready with a master: a restore needs somewhere to write.</summary>
    private async Task<RedisResource> ReadyAsync(string key, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var resource = _store.Snapshot(key) ?? throw new RedoubtException($"redis {key} was deleted during the restore");
            if (resource.Status is { Phase: Phases.Ready, Master: not null })
            {
                return resource;
            }

            if (waited.Elapsed > RestoreReadyTimeout)
            {
                throw new RedoubtException($"redis {key} is {resource.Status?.Phase ?? "not started"}, not Ready, after {RestoreReadyTimeout.TotalSeconds:F0} s: nothing was restored");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan RestoreReadyTimeout = TimeSpan.FromMinutes(3);

    private static string Key(string @namespace, string name) => $"{@namespace}/{name}";

    /// <summary>Stops reconciling; with <paramref name="stopNodes"/> also stops every process cleanly (data kept).</summary>
    public async Task StopAsync(bool stopNodes, CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        try
        {
            await _schedule.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped between two ticks, or a scheduled backup cut short: its partial file never counts.
        }
        if (stopNodes)
        {
            await Task.WhenAll(_store.All.Select(r => _platform.StopResourceAsync(r.Metadata.Namespace, r.Metadata.Name))).ConfigureAwait(false);
        }

        await _platform.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(stopNodes: false, CancellationToken.None).ConfigureAwait(false);
        await _loop.DisposeAsync().ConfigureAwait(false);
        _lock.Dispose();
        _changes.Dispose();
        _stop.Dispose();
    }
}
