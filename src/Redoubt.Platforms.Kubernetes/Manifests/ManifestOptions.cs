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

    /// <summary>
    /// These options with the images a site uses instead of Docker Hub's (a mirror, an air-gapped registry):
    /// <paramref name="redisImages"/> as <c>VERSION=IMAGE</c> (e.g. <c>v7=registry.local/redis:7.4.5</c>), the
    /// versions not named keeping theirs. Returns an error naming the option and the allowed versions instead of
    /// options when one is malformed.
    /// </summary>
    public (ManifestOptions? Options, string? Error) WithImages(IEnumerable<string> redisImages, string? exporterImage)
    {
        var images = new Dictionary<string, string>(RedisImages, StringComparer.Ordinal);
        foreach (var entry in redisImages)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var version = equals > 0 ? entry[..equals].Trim() : "";
            var image = equals > 0 ? entry[(equals + 1)..].Trim() : "";
            if (!RedisImages.ContainsKey(version) || !IsImageReference(image))
            {
                return (null, $"--redis-image: '{entry}' is not VERSION=IMAGE with VERSION one of {string.Join(", ", RedisImages.Keys.Order(StringComparer.Ordinal))} and IMAGE an image reference (e.g. v7=registry.local/redis:7.4.5)");
            }

            images[version] = image;
        }

        if (exporterImage is not null && !IsImageReference(exporterImage))
        {
            return (null, $"--exporter-image: '{exporterImage}' is not an image reference (e.g. registry.local/redis_exporter:v1.74.0)");
        }

        return (this with { RedisImages = images, ExporterImage = exporterImage ?? ExporterImage }, null);
    }

    /// <summary>Something a kubelet can pull: no spaces or control characters, not empty, not absurdly long.</summary>
    private static bool IsImageReference(string image) =>
        image.Length is > 0 and <= 512 && image.All(c => c > ' ' && c < 127 && c != '=');
}
