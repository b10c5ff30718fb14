namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>KubernetesClient types its labels and annotations as <see cref="IDictionary{TKey,TValue}"/>, the model as <see cref="Dictionary{TKey,TValue}"/>.</summary>
internal static class Dictionaries
{
    public static string? Get(this IEnumerable<KeyValuePair<string, string>>? map, string key) =>
        map switch
        {
            null => null,
            IDictionary<string, string> d => d.TryGetValue(key, out var v) ? v : null,
            IReadOnlyDictionary<string, string> r => r.TryGetValue(key, out var v) ? v : null,
            _ => map.FirstOrDefault(pair => pair.Key == key).Value,
        };
}
