using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Redoubt.Core;
using Redoubt.Core.ControlPlane;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// The operator's side of the dashboard, on every replica, leading or not. The controller's watches last one
/// leadership term and a replica that does not lead has none, so this keeps a watch of its own on the Redis objects:
/// the resources and their status as the API server has them, and a ring of <see cref="Changes"/> at each change (a
/// status the leader wrote, a spec, an annotation, a deletion). A switchover goes through the leading term's control
/// loop, as the local control plane's does; a rolling restart is the annotation <see cref="ResourceAnnotations.RestartedAt"/>
/// set through the API, as <c>kubectl annotate</c> would, and whichever replica leads carries it out.
/// </summary>
public sealed class OperatorDashboard : IDashboardSource
{
    private readonly RedisApi _api;
    private readonly Leadership _leadership;
    private readonly TimeProvider _time;
    private readonly ObjectWatch<RedisObject> _redises;

    public OperatorDashboard(IKubernetes client, OperatorOptions options, Leadership leadership, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _api = new RedisApi(client);
        _leadership = leadership;
        _time = time;
        Changes = new StatusFeed(time);
        var (list, watch) = WatchSources.Redises(_api, options.WatchNamespace);
        // The watch keeps its cache before it reports a change, so a subscriber that reads on the ring sees the change.
        _redises = new ObjectWatch<RedisObject>("Redis", list, watch, (_, _, current) => Changes.Publish(current.Key),
            loggerFactory.CreateLogger<ObjectWatch<RedisObject>>(), time, options.WatchTimeout);
    }

    public StatusFeed Changes { get; }

    /// <summary>Watches the Redis objects until <paramref name="ct"/> fires.</summary>
    public Task RunAsync(CancellationToken ct) => _redises.RunAsync(ct);

    public async Task<IReadOnlyList<RedisResource>> ListAsync(CancellationToken cancellationToken)
    {
        // Before the first list, an empty answer would say there is no Redis at all.
        await _redises.Synced.WaitAsync(cancellationToken);
        return [.. _redises.Items.OrderBy(i => i.Key, StringComparer.Ordinal).Select(ResourceConversion.Shown)];
    }

    public async Task<RedisResource?> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        await _redises.Synced.WaitAsync(cancellationToken);
        return _redises.Get(@namespace, name) is { } item ? ResourceConversion.Shown(item) : null;
    }

    public async Task<SwitchoverResult> FailoverAsync(string @namespace, string name, string? target, CancellationToken cancellationToken)
    {
        var loop = _leadership.LoopOrRefuse("switch over");
        // Read fresh, as a pass reads it: the switchover acts on the spec as it is now.
        var item = await CallAsync($"reading redis {@namespace}/{name}", () => _api.GetAsync(@namespace, name, cancellationToken))
            ?? throw new RedoubtException($"no Redis named {name} in namespace {@namespace}");
        if (Annotations.IsTrue(item.Metadata.Annotations, Annotations.Paused))
        {
            throw new RedoubtException($"redis {item.Key} is paused ({Annotations.Paused}: \"true\"): Redoubt changes nothing until the annotation is removed");
        }

        var load = ResourceConversion.ToResource(item);
        if (load.Errors.Count > 0)
        {
            throw new RedoubtException($"redis {item.Key} is not reconciled, its spec is invalid: {string.Join("; ", load.Errors.Select(e => $"{e.Path}: {e.Message}"))}");
        }

        return await loop.SwitchoverAsync(load.Resources[0], target, cancellationToken);
    }

    public async Task<string?> RestartAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var mark = ResourceAnnotations.Mark(_time.GetUtcNow());
        var annotated = await CallAsync($"annotating redis {@namespace}/{name} with {ResourceAnnotations.RestartedAt}",
            () => _api.AnnotateAsync(@namespace, name, ResourceAnnotations.RestartedAt, mark, cancellationToken));
        return annotated is null ? null : mark;
    }

    /// <summary>
    /// The object as the page draws it: the resource with its status. An object whose spec is invalid is shown with
    /// the defaults' spec, so its status (phase Failed, the condition that names the field) still reaches the page.
    /// </summary>
    /// <summary>An answer of the API server other than success becomes an error the page shows: the call, and what the server said.</summary>
    private static async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException e)
        {
            throw new RedoubtException($"{what}: {PassFailure.Describe(e)}", e);
        }
    }
}
