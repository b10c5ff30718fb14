using System.Globalization;
using System.Text.Json.Nodes;
using k8s;

namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>What the test cluster's API server serves, for comparing rendered objects with stored ones on any version.</summary>
internal sealed record ServerApi(int Minor, bool PolicyV1)
{
    public static async Task<ServerApi> DiscoverAsync(IKubernetes client, CancellationToken ct)
    {
        var version = await client.Version.GetCodeAsync(ct);
        var policy = await client.Policy.GetAPIGroupAsync(ct);
        var minor = int.Parse(new string([.. version.Minor.TakeWhile(char.IsDigit)]), CultureInfo.InvariantCulture);
        return new ServerApi(minor, policy.Versions.Any(v => v.Version == "v1"));
    }

    /// <summary>The API version the server stores a rendered object's kind under.</summary>
    public string Served(string apiVersion) => apiVersion == "policy/v1" && !PolicyV1 ? "policy/v1beta1" : apiVersion;

    /// <summary>
    /// A rendered object less what this server cannot store: the StatefulSet's PVC retention policy is a 1.23+ field
    /// (the operator leaves it out on older servers, and claims then stay after a delete).
    /// </summary>
    public JsonObject AsServed(JsonNode rendered)
    {
        var copy = rendered.DeepClone().AsObject();
        if (Minor < 23 && copy["kind"]?.GetValue<string>() == "StatefulSet")
        {
            copy["spec"]!.AsObject().Remove("persistentVolumeClaimRetentionPolicy");
        }

        return copy;
    }
}
