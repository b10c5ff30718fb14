using System.Globalization;
using k8s;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Platform;

/// <summary>
/// What the API server serves where Kubernetes versions differ, found by discovery when a term starts: the operator
/// supports 1.20 and newer. <see cref="Latest"/> is what `redoubt render` shows.
/// </summary>
/// <param name="Version">The server's version, "1.20" say, for logs.</param>
/// <param name="PolicyV1">PodDisruptionBudgets in policy/v1 (1.21+); else policy/v1beta1, which has the same fields.</param>
/// <param name="PvcRetentionPolicy">StatefulSets know persistentVolumeClaimRetentionPolicy (1.23+); older servers refuse to apply it.</param>
public sealed record ServerCapabilities(string Version, bool PolicyV1, bool PvcRetentionPolicy)
{
    public static ServerCapabilities Latest { get; } = new("latest", PolicyV1: true, PvcRetentionPolicy: true);

    public string PodDisruptionBudgetVersion => PolicyV1 ? "v1" : "v1beta1";

    public static async Task<ServerCapabilities> DiscoverAsync(IKubernetes client, CancellationToken ct)
    {
        var version = await client.Version.GetCodeAsync(ct);
        var policy = await client.Policy.GetAPIGroupAsync(ct);
        // Minor versions may carry a suffix ("20+" on some distributions).
        var minor = int.Parse(new string([.. version.Minor.TakeWhile(char.IsDigit)]), CultureInfo.InvariantCulture);
        var major = int.Parse(new string([.. version.Major.TakeWhile(char.IsDigit)]), CultureInfo.InvariantCulture);
        return new ServerCapabilities(
            $"{major}.{minor}",
            PolicyV1: policy.Versions.Any(v => v.Version == "v1"),
            PvcRetentionPolicy: major > 1 || minor >= 23);
    }

    /// <summary>The manifest options with what this server cannot store left out.</summary>
    public ManifestOptions Apply(ManifestOptions options) => options with { PvcRetentionPolicy = options.PvcRetentionPolicy && PvcRetentionPolicy };
}
