using Redoubt.Core.Planning;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>Annotations users put on a Redis resource, and the ones Redoubt puts on what it generates.</summary>
public static class Annotations
{
    /// <summary>"true" stops every reconcile pass of the resource (objects, healing, status) until removed.</summary>
    public const string Paused = "redoubt.io/paused";

    /// <summary>"true" / "false" overrides the operator's default for the redis_exporter sidecar.</summary>
    public const string Exporter = "redoubt.io/exporter";

    /// <summary>
    /// On pod templates: a hash of the part of the rendered configuration only a restart applies (settings changed
    /// at run time are left out), so such a change shows up as a template change and nothing else does.
    /// </summary>
    public const string ConfigHash = "redoubt.io/config-hash";

    /// <summary>
    /// On the Redis pod template, and so on each pod: a hash of the whole template. A pod whose value differs from
    /// the StatefulSet's was created from an older template; under OnDelete the healer restarts it in turn.
    /// </summary>
    public const string TemplateHash = "redoubt.io/template-hash";

    /// <summary>Pod templates carry the resource's restart request, so a new request is a template change.</summary>
    public static Dictionary<string, string> ForTemplate(ResourcePlan plan, string configHash)
    {
        var annotations = new Dictionary<string, string> { [ConfigHash] = configHash };
        if (plan.RestartedAt is { } restartedAt)
        {
            annotations[Model.ResourceAnnotations.RestartedAt] = restartedAt;
        }

        return annotations;
    }

    public static bool IsTrue(IEnumerable<KeyValuePair<string, string>>? annotations, string key) => Flag(annotations, key) == true;

    public static bool? Flag(IEnumerable<KeyValuePair<string, string>>? annotations, string key) =>
        annotations.Get(key) is { } value && bool.TryParse(value.Trim(), out var flag) ? flag : null;
}
