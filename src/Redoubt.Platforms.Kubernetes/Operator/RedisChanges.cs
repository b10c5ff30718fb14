using k8s;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// Which changes of a Redis object call for a pass. Pure. Status writes (our own) change only the status and the
/// resourceVersion; reacting to them would loop, so only a new generation (spec), labels, annotations (pause),
/// finalizers or the start of deletion count.
/// </summary>
public static class RedisChanges
{
    public static bool Matters(WatchEventType type, RedisObject? previous, RedisObject current)
    {
        if (type != WatchEventType.Modified || previous is null)
        {
            return true;
        }

        var (a, b) = (previous.Metadata, current.Metadata);
        return a.Generation != b.Generation
            || a.DeletionTimestamp != b.DeletionTimestamp
            || !Same(a.Annotations, b.Annotations)
            || !Same(a.Labels, b.Labels)
            || !(a.Finalizers ?? []).SequenceEqual(b.Finalizers ?? []);
    }

    private static bool Same(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(pair => b != null && b.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
