namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>Annotations users put on a Redis resource, and the ones Redoubt puts on what it generates.</summary>
public static class Annotations
{
    /// <summary>"true" stops every reconcile pass of the resource (objects, healing, status) until removed.</summary>
    public const string Paused = "redoubt.io/paused";

    /// <summary>"true" / "false" overrides the operator's default for the redis_exporter sidecar.</summary>
    public const string Exporter = "redoubt.io/exporter";

    /// <summary>On pod templates: a hash of the rendered configuration, so a config change shows up as a template change.</summary>
    public const string ConfigHash = "redoubt.io/config-hash";

    public static bool IsTrue(IEnumerable<KeyValuePair<string, string>>? annotations, string key) => Flag(annotations, key) == true;

    public static bool? Flag(IEnumerable<KeyValuePair<string, string>>? annotations, string key) =>
        annotations.Get(key) is { } value && bool.TryParse(value.Trim(), out var flag) ? flag : null;
}
