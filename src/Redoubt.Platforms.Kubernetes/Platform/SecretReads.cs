using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Redoubt.Platforms.Kubernetes.Platform;

/// <summary>Reading a Secret that may not exist yet: the stores create theirs on first use.</summary>
internal static class SecretReads
{
    /// <summary>The Secret, or null when the API server has none of that name.</summary>
    public static async Task<V1Secret?> ReadSecretOrNullAsync(this IKubernetes client, string @namespace, string name, CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
