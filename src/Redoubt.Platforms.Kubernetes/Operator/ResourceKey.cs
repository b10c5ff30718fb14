namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>"namespace/name", the key of the work queue and of every per-resource state.</summary>
public static class ResourceKey
{
    public static string Of(string @namespace, string name) => $"{@namespace}/{name}";

    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("default", key) : (key[..slash], key[(slash + 1)..]);
    }
}
