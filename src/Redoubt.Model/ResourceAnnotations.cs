namespace Redoubt.Model;

/// <summary>Annotations on a Redis resource that every platform understands.</summary>
public static class ResourceAnnotations
{
    /// <summary>
    /// A time (any text) whose change asks for a rolling restart of every node, like <c>kubectl rollout restart</c>:
    /// <c>redoubt restart NAME</c> sets it, and so can <c>kubectl annotate</c>.
    /// </summary>
    public const string RestartedAt = "redoubt.io/restartedAt";

    public static string? RestartedAtOf(RedisResource resource) =>
        resource.Metadata.Annotations.TryGetValue(RestartedAt, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
