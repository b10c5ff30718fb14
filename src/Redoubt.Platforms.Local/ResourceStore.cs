using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Redoubt.Core.ControlPlane;
using Redoubt.Model;

namespace Redoubt.Platforms.Local;

/// <summary>
/// The resources of one home: each spec in its folder's <c>resource.json</c> (written atomically and durably, it is
/// the user's declaration), its latest status in <c>status.json</c> (so the next control plane starts from the
/// history), and both in memory for the API and the control loop. Every change it keeps is published on <c>changes</c>.
/// </summary>
internal sealed partial class ResourceStore(string home, ILogger logger, StatusFeed changes)
{
    private readonly ConcurrentDictionary<string, RedisResource> _resources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RedisStatus> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _writtenStatus = new(StringComparer.Ordinal);

    public ResourceFolder Folder(string @namespace, string name) => new(home, @namespace, name);

    /// <summary>Reads every resource an earlier control plane left; returns their keys. An unreadable file is logged and left alone.</summary>
    public IReadOnlyList<string> Load()
    {
        var keys = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(home, "resources"), "resource.json", SearchOption.AllDirectories))
        {
            try
            {
                var resource = ResourceSerializer.FromJson(File.ReadAllText(file));
                resource.Status = null;
                _resources[resource.Key] = resource;
                keys.Add(resource.Key);
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                LogUnreadable(logger, file, e.Message);
            }
        }

        return keys;
    }

    public RedisResource? Get(string key) => _resources.GetValueOrDefault(key);

    public IReadOnlyList<RedisResource> All => [.. _resources.Values.OrderBy(r => r.Key, StringComparer.Ordinal)];

    /// <summary>Writes the spec (status excluded) and makes it the one passes read.</summary>
    public void Save(RedisResource resource)
    {
        var folder = Folder(resource.Metadata.Namespace, resource.Metadata.Name);
        folder.EnsureRoot();
        AtomicFile.Write(folder.ResourceFile, ResourceSerializer.ToJson(resource));
        _resources[resource.Key] = resource;
        changes.Publish(resource.Key);
    }

    /// <summary>Forgets the resource: passes find it gone from now on. Its files are <see cref="DeleteFiles"/>' business.</summary>
    public bool Remove(string key)
    {
        _statuses.TryRemove(key, out _);
        _writtenStatus.TryRemove(key, out _);
        var removed = _resources.TryRemove(key, out _);
        changes.Publish(key);
        return removed;
    }

    /// <summary>Removes the resource's folder, or with <paramref name="keepData"/> only its spec and status (data, ports and password stay).</summary>
    public void DeleteFiles(string @namespace, string name, bool keepData)
    {
        var folder = Folder(@namespace, name);
        if (keepData)
        {
            File.Delete(folder.ResourceFile);
            File.Delete(folder.StatusFile);
        }
        else if (Directory.Exists(folder.Root))
        {
            Directory.Delete(folder.Root, recursive: true);
        }
    }

    /// <summary>The status an earlier control plane saved, for the history a new reconciler carries on.</summary>
    public RedisStatus? SavedStatus(RedisResource resource) =>
        AtomicFile.ReadOrNull(Folder(resource.Metadata.Namespace, resource.Metadata.Name).StatusFile) is { } saved
            ? ResourceSerializer.FromJson(saved).Status
            : null;

    /// <summary>Keeps a pass's status; writes it when it changed and the resource still has its folder.</summary>
    public void SaveStatus(RedisResource resource, RedisStatus status)
    {
        _statuses[resource.Key] = status;
        var folder = Folder(resource.Metadata.Namespace, resource.Metadata.Name);
        var json = ResourceSerializer.ToJson(new RedisResource { Metadata = resource.Metadata, Spec = resource.Spec, Status = status });
        if (_writtenStatus.GetValueOrDefault(resource.Key) != json && Directory.Exists(folder.Root))
        {
            // Not durable: a status lost in a crash is rebuilt by the next pass.
            AtomicFile.Write(folder.StatusFile, json, durable: false);
            _writtenStatus[resource.Key] = json;
            changes.Publish(resource.Key);
        }
    }

    /// <summary>The resource with its latest status (an empty one before its first pass).</summary>
    public RedisResource? Snapshot(string key) =>
        _resources.TryGetValue(key, out var resource)
            ? new RedisResource
            {
                ApiVersion = resource.ApiVersion,
                Kind = resource.Kind,
                Metadata = resource.Metadata,
                Spec = resource.Spec,
                Status = _statuses.GetValueOrDefault(key) ?? new RedisStatus(),
            }
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File} cannot be read and is left alone: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string file, string error);
}
