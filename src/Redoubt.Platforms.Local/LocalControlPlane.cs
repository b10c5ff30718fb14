using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Redoubt.Core;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Planning;
using Redoubt.Model;

namespace Redoubt.Platforms.Local;

/// <summary>
/// The local control plane: owns the home folder (one at a time), keeps a controller per resource, and answers
/// the command line. Starting it adopts whatever nodes an earlier control plane left running.
/// </summary>
public sealed partial class LocalControlPlane : IControlPlane, IAsyncDisposable
{
    private readonly LocalOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly FileStream _lock;
    private readonly LocalPlatform _platform;
    private readonly ConcurrentDictionary<string, ResourceController> _controllers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _events;
    private bool _stopped;

    private LocalControlPlane(LocalOptions options, ILoggerFactory loggerFactory, FileStream homeLock, string redisVersion)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Redoubt.Local");
        _lock = homeLock;
        RedisVersion = redisVersion;
        _platform = new LocalPlatform(options, loggerFactory.CreateLogger("Redoubt.Local.Platform"), TimeProvider.System);
        _events = Task.Run(PumpEventsAsync);
    }

    /// <summary>The installed redis-server version, e.g. "7.0.15".</summary>
    public string RedisVersion { get; }

    public string Home => _options.Home;

    public static async Task<LocalControlPlane> StartAsync(LocalOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var version = await InstalledVersionAsync(options.RedisServer, cancellationToken).ConfigureAwait(false);
        await InstalledVersionAsync(options.RedisSentinel, cancellationToken).ConfigureAwait(false);
        var homeLock = LockHome(options.Home);
        var controlPlane = new LocalControlPlane(options, loggerFactory, homeLock, version);
        controlPlane.LoadExisting();
        return controlPlane;
    }

    private static FileStream LockHome(string home)
    {
        FileStream? stream = null;
        try
        {
            Directory.CreateDirectory(home, ResourceFolder.PrivateDirectory);
            Directory.CreateDirectory(Path.Combine(home, "resources"), ResourceFolder.PrivateDirectory);
            // FileShare.None is an exclusive flock on Linux: a second control plane on this home fails here.
            stream = new FileStream(Path.Combine(home, "control.lock"), new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush();
            return stream;
        }
        catch (IOException e) when (stream is null && File.Exists(Path.Combine(home, "control.lock")))
        {
            var holder = File.Exists(Path.Combine(home, "control.lock")) ? TryReadPid(Path.Combine(home, "control.lock")) : null;
            throw new RedoubtException($"another control plane{(holder is null ? "" : $" (pid {holder})")} is already serving {home}; use `redoubt apply`, `get` and the other commands against it, or stop it first", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            throw new RedoubtException($"cannot use the state folder {home}: {e.Message}; set REDOUBT_HOME (or --home) to a folder you can write", e);
        }
    }

    private static string? TryReadPid(string path)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadLine()?.Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<string> InstalledVersionAsync(string binary, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(binary, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
                ?? throw new RedoubtException($"could not run {binary}");
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var marker = output.IndexOf("v=", StringComparison.Ordinal);
            return marker < 0 ? "unknown" : output[(marker + 2)..].Split(' ')[0];
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RedoubtException($"{binary} is not installed (not found on PATH); install the redis-server, redis-sentinel and redis-tools packages (the ./redoubt script does it for you)", e);
        }
    }

    private void LoadExisting()
    {
        var resources = Path.Combine(_options.Home, "resources");
        foreach (var file in Directory.EnumerateFiles(resources, "resource.json", SearchOption.AllDirectories))
        {
            try
            {
                var resource = ResourceSerializer.FromJson(File.ReadAllText(file));
                resource.Status = null;
                Start(resource);
                LogResumed(_logger, resource.Key);
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                LogUnreadable(_logger, file, e.Message);
            }
        }
    }

    private void Start(RedisResource resource)
    {
        var folder = _platform.Folder(resource.Metadata.Namespace, resource.Metadata.Name);
        _controllers[resource.Key] = new ResourceController(resource, folder, _platform, _loggerFactory.CreateLogger("Redoubt.Reconcile"), TimeProvider.System);
    }

    public async Task<ApplyResult> ApplyAsync(string yaml, string fileName, CancellationToken cancellationToken)
    {
        var loaded = ResourceLoader.Load(yaml, fileName);
        var errors = loaded.Errors.Concat(loaded.Resources.SelectMany(r => LocalChecks(r, fileName))).ToList();
        if (errors.Count > 0)
        {
            return new ApplyResult([], errors);
        }

        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var applied = new List<AppliedResource>();
            foreach (var resource in loaded.Resources)
            {
                applied.Add(Apply(resource));
            }

            return new ApplyResult(applied, []);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>What only this platform cannot do, reported like any other validation error.</summary>
    private IEnumerable<ValidationError> LocalChecks(RedisResource resource, string fileName)
    {
        if (resource.Spec.Tls?.Enabled == true)
        {
            yield return new ValidationError(fileName, "spec.tls.enabled", "TLS is not available on the local platform yet; allowed here: false (the Kubernetes platform renders it)");
        }

        if (resource.Spec.External == true)
        {
            // Every zone reuses the same port numbers on its own loopback address; binding all interfaces would
            // make the nodes of one resource collide. Until the local platform exposes the master on its own port,
            // it says so instead of starting nodes that cannot bind.
            yield return new ValidationError(fileName, "spec.external", "an external endpoint is not available on the local platform yet; allowed here: false (the Kubernetes platform creates a LoadBalancer)");
        }

        if (resource.Spec.Version is { } wanted && !RedisVersion.StartsWith(wanted[1..] + ".", StringComparison.Ordinal))
        {
            yield return new ValidationError(fileName, "spec.version", $"{wanted} was asked for but the installed redis-server is {RedisVersion}; remove the field to use the installed version, set v{RedisVersion.Split('.')[0]}, or install Redis {wanted[1..]}");
        }

        var plan = Planner.Plan(resource);
        if (_controllers.TryGetValue(resource.Key, out var existing) && Planner.Plan(existing.Resource).Spec.AuthEnabled is var before && before != plan.Spec.AuthEnabled)
        {
            // Mid-change, nodes with a password and nodes without cannot replicate from each other, and the Sentinels
            // and the control plane would hold the wrong credentials for half of them.
            var now = before ? "true" : "false";
            yield return new ValidationError(fileName, "spec.authEnabled", $"cannot change on a running resource; allowed here: {now} (its current value). To change it, delete the resource (`redoubt delete {resource.Metadata.Name}`) and apply it again");
        }

        if (plan.Spec.Zones.Count > 200)
        {
            yield return new ValidationError(fileName, "spec.zones", "at most 200 zones have loopback addresses here");
        }
    }

    private AppliedResource Apply(RedisResource resource)
    {
        var folder = _platform.Folder(resource.Metadata.Namespace, resource.Metadata.Name);
        var stored = _controllers.TryGetValue(resource.Key, out var controller) ? controller.Resource : null;
        if (stored is not null && ResourceAnnotations.RestartedAtOf(stored) is { } restartedAt && !resource.Metadata.Annotations.ContainsKey(ResourceAnnotations.RestartedAt))
        {
            // `redoubt restart` set it, not the file: applying the file again must not count as a new request or a change.
            resource.Metadata.Annotations[ResourceAnnotations.RestartedAt] = restartedAt;
        }

        if (stored is not null && JsonSerializer.Serialize(stored.Spec, ResourceSerializer.JsonOptions) == JsonSerializer.Serialize(resource.Spec, ResourceSerializer.JsonOptions)
            && Same(stored.Metadata.Labels, resource.Metadata.Labels) && Same(stored.Metadata.Annotations, resource.Metadata.Annotations))
        {
            return new AppliedResource(resource.Metadata.Namespace, resource.Metadata.Name, "unchanged", stored.Metadata.Generation);
        }

        resource.Metadata.Generation = (stored?.Metadata.Generation ?? 0) + 1;
        resource.Metadata.Uid = stored?.Metadata.Uid ?? Guid.NewGuid().ToString();
        resource.Status = null;
        Directory.CreateDirectory(folder.Root, ResourceFolder.PrivateDirectory);
        AtomicFile.Write(folder.ResourceFile, ResourceSerializer.ToJson(resource));
        if (controller is null)
        {
            Start(resource);
            LogApplied(_logger, resource.Key, "created", resource.Metadata.Generation);
            return new AppliedResource(resource.Metadata.Namespace, resource.Metadata.Name, "created", resource.Metadata.Generation);
        }

        controller.Update(resource);
        LogApplied(_logger, resource.Key, "configured", resource.Metadata.Generation);
        return new AppliedResource(resource.Metadata.Namespace, resource.Metadata.Name, "configured", resource.Metadata.Generation);
    }

    private static bool Same(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public Task<IReadOnlyList<RedisResource>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RedisResource>>([.. _controllers.Values.Select(c => c.Snapshot()).OrderBy(r => r.Key, StringComparer.Ordinal)]);

    public Task<RedisResource?> GetAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_controllers.TryGetValue($"{@namespace}/{name}", out var controller) ? controller.Snapshot() : null);

    public async Task<bool> DeleteAsync(string @namespace, string name, bool keepData, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_controllers.TryRemove($"{@namespace}/{name}", out var controller))
            {
                return false;
            }

            await controller.DisposeAsync().ConfigureAwait(false);
            await _platform.StopResourceAsync(@namespace, name).ConfigureAwait(false);
            var folder = _platform.Folder(@namespace, name);
            if (keepData)
            {
                // Data, ports and password stay: applying the same name again brings the data back.
                File.Delete(folder.ResourceFile);
                File.Delete(folder.StatusFile);
            }
            else
            {
                Directory.Delete(folder.Root, recursive: true);
            }

            LogDeleted(_logger, $"{@namespace}/{name}", keepData);
            return true;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task<SwitchoverResult> FailoverAsync(string @namespace, string name, string? target, CancellationToken cancellationToken)
    {
        if (!_controllers.TryGetValue($"{@namespace}/{name}", out var controller))
        {
            throw new RedoubtException($"no Redis named {name} in namespace {@namespace}");
        }

        var result = await controller.Reconciler.SwitchoverAsync(controller.Resource, target, cancellationToken).ConfigureAwait(false);
        controller.Wake();
        return result;
    }

    public async Task<string?> RestartAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_controllers.TryGetValue($"{@namespace}/{name}", out var controller))
            {
                return null;
            }

            var stored = controller.Resource;
            var mark = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            // Like `kubectl rollout restart`: an annotation, so the generation (the spec's version) stays as it is.
            var restarted = ResourceSerializer.FromJson(ResourceSerializer.ToJson(stored));
            restarted.Metadata.Annotations[ResourceAnnotations.RestartedAt] = mark;
            restarted.Status = null;
            AtomicFile.Write(_platform.Folder(@namespace, name).ResourceFile, ResourceSerializer.ToJson(restarted));
            controller.Update(restarted);
            LogRestartRequested(_logger, restarted.Key, mark);
            return mark;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task<Credentials?> GetCredentialsAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        if (!_controllers.TryGetValue($"{@namespace}/{name}", out var controller))
        {
            return null;
        }

        var resource = controller.Snapshot();
        var plan = Planner.Plan(resource);
        var password = await _platform.EnsurePasswordAsync(plan, cancellationToken).ConfigureAwait(false);
        var sentinels = resource.Status?.Sentinels is { Count: > 0 } known ? known : [];
        return new Credentials(@namespace, name, plan.MasterName, sentinels, resource.Status?.Master, plan.Spec.AuthEnabled, password);
    }

    private async Task PumpEventsAsync()
    {
        try
        {
            await foreach (var nodeEvent in _platform.NodeEvents.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                if (_controllers.TryGetValue(nodeEvent.ResourceKey, out var controller))
                {
                    _ = controller.OnNodeEventAsync(nodeEvent);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Stops reconciling; with <paramref name="stopNodes"/> also stops every process cleanly (data kept).</summary>
    public async Task StopAsync(bool stopNodes, CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_controllers.Values.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        if (stopNodes)
        {
            await Task.WhenAll(_controllers.Values.Select(c => _platform.StopResourceAsync(c.Resource.Metadata.Namespace, c.Resource.Metadata.Name))).ConfigureAwait(false);
        }

        _controllers.Clear();
        await _platform.DisposeAsync().ConfigureAwait(false);
        await _events.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(stopNodes: false, CancellationToken.None).ConfigureAwait(false);
        await _lock.DisposeAsync().ConfigureAwait(false);
        _changes.Dispose();
        _stop.Dispose();
    }
}
