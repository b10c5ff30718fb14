using System.Collections.Concurrent;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Platform;

/// <summary>
/// The resource each plan was made from. <see cref="Core.Platform.IRedisPlatform"/> passes only the plan, but the
/// objects also need what the plan leaves out: the uid for owner references, annotations, the zones as written.
/// The operator records the resource here before each pass.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<string, RedisResource> _resources = new();

    public void Set(RedisResource resource) => _resources[resource.Key] = resource;

    public void Remove(string key) => _resources.TryRemove(key, out _);

    public RedisResource? TryGet(string key) => _resources.GetValueOrDefault(key);

    public RedisResource Get(string key) =>
        _resources.TryGetValue(key, out var resource)
            ? resource
            : throw new InvalidOperationException($"no resource recorded for {key}; the operator records it before each pass");
}
