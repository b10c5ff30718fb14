namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>Operator-wide choices that are not part of a resource's spec: images and the exporter default.</summary>
public sealed record ManifestOptions
{
    /// <summary>The image per <c>spec.version</c>; v8 is the reference platform's current one.</summary>
    public IReadOnlyDictionary<string, string> RedisImages { get; init; } = new Dictionary<string, string>
    {
        ["v8"] = "redis:8.2.1",
        ["v7"] = "redis:7.4.5",
    };

    /// <summary>The version used when the spec leaves it unset (the Kubernetes default of <c>spec.version</c>).</summary>
    public string DefaultVersion { get; init; } = Crd.SpecRules.KubernetesDefaultVersion;

    public string ExporterImage { get; init; } = "oliver006/redis_exporter:v1.74.0";

    /// <summary>Whether pods carry the redis_exporter sidecar unless the resource's annotation says otherwise.</summary>
    public bool ExporterByDefault { get; init; } = true;

    /// <summary>
    /// Whether the StatefulSet carries persistentVolumeClaimRetentionPolicy (claims deleted with the resource). API
    /// servers before 1.23 do not know the field and refuse the apply, so the operator turns it off there.
    /// </summary>
    public bool PvcRetentionPolicy { get; init; } = true;

    public string ImageFor(string? version) =>
        RedisImages.TryGetValue(version ?? DefaultVersion, out var image) ? image : RedisImages[DefaultVersion];
}
