namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

internal static class RedisYaml
{
    /// <summary>A Redis document with the given spec lines (each "field: value").</summary>
    public static string Of(string name, string ns, params string[] spec) =>
        $"apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n"
        + (spec.Length == 0 ? "  {}\n" : string.Concat(spec.Select(line => $"  {line}\n")));
}
