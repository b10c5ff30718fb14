using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Redoubt.Kubernetes.Tests.Fakes;

/// <summary>
/// The storage behind <see cref="FakeKubernetesApi"/>: JSON objects by (resource, namespace, name), a global
/// resourceVersion, and a history of changes that watches replay and follow. It keeps the API server rules the
/// operator depends on: optimistic concurrency on resourceVersion, generation bumped on spec changes, status
/// changed only through the status subresource, finalizers holding deletion, Secrets' stringData stored as data.
/// It is a test double of the Kubernetes API for the operator's mechanics; there is no Redis behind it.
/// </summary>
public sealed class ObjectStore
{
    private static readonly HashSet<string> WithStatusSubresource = ["redises", "pods", "statefulsets", "deployments"];

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Resource, string Namespace, string Name), JsonObject> _objects = [];
    private readonly List<WatchEvent> _history = [];
    private readonly List<(string Resource, Channel<WatchEvent> Channel)> _watchers = [];
    private long _version = 100;

    public sealed record WatchEvent(long Version, string Resource, string Namespace, string Type, JsonObject Item);

    public sealed class ApiException(int code, string reason, string message) : Exception(message)
    {
        public int Code { get; } = code;
        public string Reason { get; } = reason;
    }

    public string CurrentVersion
    {
        get
        {
            lock (_lock)
            {
                return _version.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    public JsonObject? Get(string resource, string ns, string name)
    {
        lock (_lock)
        {
            return _objects.TryGetValue((resource, ns, name), out var item) ? (JsonObject)item.DeepClone() : null;
        }
    }

    public List<JsonObject> List(string resource, string? ns, string? labelSelector = null)
    {
        lock (_lock)
        {
            return [.. _objects.Where(o => o.Key.Resource == resource && (ns is null || o.Key.Namespace == ns) && Selects(labelSelector, o.Value))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => (JsonObject)o.Value.DeepClone())];
        }
    }

    public JsonObject Create(string resource, string ns, JsonObject item)
    {
        lock (_lock)
        {
            var meta = Meta(item);
            if (meta["name"] is null && meta["generateName"]?.GetValue<string>() is { } prefix)
            {
                meta["name"] = prefix + Guid.NewGuid().ToString("N")[..5];
            }

            var name = meta["name"]?.GetValue<string>() ?? throw new ApiException(422, "Invalid", "metadata.name is required");
            if (ns.Length > 0)
            {
                meta["namespace"] = ns;
            }

            if (_objects.ContainsKey((resource, ns, name)))
            {
                throw new ApiException(409, "AlreadyExists", $"{resource} \"{name}\" already exists");
            }

            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            meta["generation"] = 1;
            meta.Remove("deletionTimestamp");
            NormalizeSecret(resource, item);
            return Store(resource, ns, name, item, "ADDED");
        }
    }

    /// <summary>PUT: the whole object, guarded by its resourceVersion when it carries one.</summary>
    public JsonObject Replace(string resource, string ns, string name, JsonObject item, bool status)
    {
        lock (_lock)
        {
            var current = Existing(resource, ns, name);
            CheckVersion(item, current);
            return Update(resource, ns, name, current, item, status);
        }
    }

    /// <summary>PATCH as a JSON merge patch; server-side apply is approximated by the same merge, creating when absent.</summary>
    public JsonObject Patch(string resource, string ns, string name, JsonObject patch, bool status, bool apply)
    {
        lock (_lock)
        {
            if (!_objects.ContainsKey((resource, ns, name)))
            {
                if (!apply)
                {
                    throw new ApiException(404, "NotFound", $"{resource} \"{name}\" not found");
                }

                return Create(resource, ns, patch);
            }

            var current = Existing(resource, ns, name);
            if (patch["metadata"]?["resourceVersion"] is not null)
            {
                CheckVersion(patch, current);
            }

            var merged = (JsonObject)Merge(current, patch)!;
            return Update(resource, ns, name, current, merged, status);
        }
    }

    public JsonObject Delete(string resource, string ns, string name)
    {
        lock (_lock)
        {
            var current = Existing(resource, ns, name);
            var finalizers = Meta(current)["finalizers"] as JsonArray;
            if (finalizers is { Count: > 0 })
            {
                if (Meta(current)["deletionTimestamp"] is null)
                {
                    var updated = (JsonObject)current.DeepClone();
                    Meta(updated)["deletionTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                    return Store(resource, ns, name, updated, "MODIFIED");
                }

                return current;
            }

            return Remove(resource, ns, name, current);
        }
    }

    /// <summary>For tests: changes an object as a controller or the kubelet would (pod status, labels), bypassing the rules.</summary>
    public JsonObject Mutate(string resource, string ns, string name, Action<JsonObject> change)
    {
        lock (_lock)
        {
            var updated = (JsonObject)Existing(resource, ns, name).DeepClone();
            change(updated);
            return Store(resource, ns, name, updated, "MODIFIED");
        }
    }

    public (List<WatchEvent> Backlog, ChannelReader<WatchEvent> Live, Action Unsubscribe) Watch(string resource, long afterVersion)
    {
        lock (_lock)
        {
            var channel = Channel.CreateUnbounded<WatchEvent>();
            var entry = (resource, channel);
            _watchers.Add(entry);
            var backlog = _history.Where(e => e.Resource == resource && e.Version > afterVersion).ToList();
            return (backlog, channel.Reader, () =>
            {
                lock (_lock)
                {
                    _watchers.Remove(entry);
                }

                channel.Writer.TryComplete();
            });
        }
    }

    public static bool Selects(string? selector, JsonObject item)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return true;
        }

        var labels = item["metadata"]?["labels"] as JsonObject;
        foreach (var term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = term.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                if (labels?[term] is null)
                {
                    return false;
                }

                continue;
            }

            var key = term[..eq].TrimEnd('!');
            var value = term[(eq + 1)..].TrimStart('=');
            if (labels?[key]?.GetValue<string>() != value)
            {
                return false;
            }
        }

        return true;
    }

    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Merge(result[name], value);
            }
        }

        return result;
    }

    private JsonObject Update(string resource, string ns, string name, JsonObject current, JsonObject wanted, bool status)
    {
        JsonObject next;
        if (status)
        {
            next = (JsonObject)current.DeepClone();
            next["status"] = wanted["status"]?.DeepClone();
        }
        else
        {
            next = (JsonObject)wanted.DeepClone();
            var meta = Meta(next);
            var old = Meta(current);
            foreach (var kept in new[] { "uid", "creationTimestamp", "deletionTimestamp", "generation", "namespace", "name" })
            {
                meta.Remove(kept);
                if (old[kept] is { } value)
                {
                    meta[kept] = value.DeepClone();
                }
            }

            if (WithStatusSubresource.Contains(resource))
            {
                next["status"] = current["status"]?.DeepClone();
            }

            if (!JsonNode.DeepEquals(current["spec"], next["spec"]))
            {
                meta["generation"] = long.Parse(old["generation"]?.ToJsonString() ?? "1", CultureInfo.InvariantCulture) + 1;
            }

            NormalizeSecret(resource, next);
        }

        if (Meta(next)["deletionTimestamp"] is not null && (Meta(next)["finalizers"] as JsonArray) is null or { Count: 0 })
        {
            return Remove(resource, ns, name, next);
        }

        if (JsonNode.DeepEquals(Without(current), Without(next)))
        {
            return current;
        }

        return Store(resource, ns, name, next, "MODIFIED");
    }

    private JsonObject Store(string resource, string ns, string name, JsonObject item, string type)
    {
        _version++;
        Meta(item)["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
        _objects[(resource, ns, name)] = item;
        Publish(new WatchEvent(_version, resource, ns, type, (JsonObject)item.DeepClone()));
        return (JsonObject)item.DeepClone();
    }

    private JsonObject Remove(string resource, string ns, string name, JsonObject last)
    {
        _objects.Remove((resource, ns, name));
        _version++;
        var gone = (JsonObject)last.DeepClone();
        Meta(gone)["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
        Publish(new WatchEvent(_version, resource, ns, "DELETED", gone));
        return gone;
    }

    private void Publish(WatchEvent e)
    {
        _history.Add(e);
        foreach (var (resource, channel) in _watchers)
        {
            if (resource == e.Resource)
            {
                channel.Writer.TryWrite(e);
            }
        }
    }

    private JsonObject Existing(string resource, string ns, string name) =>
        _objects.TryGetValue((resource, ns, name), out var item)
            ? (JsonObject)item.DeepClone()
            : throw new ApiException(404, "NotFound", $"{resource} \"{name}\" not found");

    private static void CheckVersion(JsonObject wanted, JsonObject current)
    {
        var expected = wanted["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(expected) && expected != current["metadata"]?["resourceVersion"]?.GetValue<string>())
        {
            throw new ApiException(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again");
        }
    }

    private static void NormalizeSecret(string resource, JsonObject item)
    {
        if (resource != "secrets" || item["stringData"] is not JsonObject stringData)
        {
            return;
        }

        var data = item["data"] as JsonObject ?? [];
        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
        }

        item["data"] = data.DeepClone();
        item.Remove("stringData");
    }

    private static JsonObject Without(JsonObject item)
    {
        var copy = (JsonObject)item.DeepClone();
        Meta(copy).Remove("resourceVersion");
        return copy;
    }

    private static JsonObject Meta(JsonObject item) => item["metadata"] as JsonObject ?? (JsonObject)(item["metadata"] = new JsonObject());
}
