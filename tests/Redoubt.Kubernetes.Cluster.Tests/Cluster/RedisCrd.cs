using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Redoubt.Kubernetes.Tests;

namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>The committed <c>deploy/crd.yaml</c> on the test cluster, and Redis objects through the API server.</summary>
internal static class RedisCrd
{
    public const string Group = "apps.cozystack.io";
    public const string Version = "v1alpha1";
    public const string Plural = "redises";
    public const string Name = Plural + "." + Group;

    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>Creates the CRD from deploy/crd.yaml unless it is there, and waits until it is Established.</summary>
    public static async Task<V1CustomResourceDefinition> EnsureInstalledAsync(IKubernetes admin, CancellationToken ct)
    {
        await Installing.WaitAsync(ct);
        try
        {
            var document = YamlDocuments.Read(await File.ReadAllTextAsync(TestPaths.Deploy("crd.yaml"), ct)).Single()!;
            var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(document.ToJsonString());
            try
            {
                await admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: ct);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Installed by an earlier test of this run.
            }

            return await Poll.UntilAsync("the CRD to be Established", async () =>
            {
                var served = await admin.ApiextensionsV1.ReadCustomResourceDefinitionAsync(Name, cancellationToken: ct);
                return served.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true ? served : null;
            }, TimeSpan.FromSeconds(60), ct);
        }
        finally
        {
            Installing.Release();
        }
    }

    /// <summary>
    /// POSTs a Redis document into <paramref name="ns"/> as a server-side dry run (validated and defaulted, not
    /// stored, so no operator of a later test reconciles it); the API server's answer, or its error status.
    /// </summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> CreateAsync(IKubernetes client, string ns, JsonNode document, CancellationToken ct)
    {
        var body = document.DeepClone();
        body["metadata"]!["namespace"] = ns;
        try
        {
            var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonNode>(body, Group, Version, ns, Plural, dryRun: "All", cancellationToken: ct);
            return (HttpStatusCode.Created, created);
        }
        catch (HttpOperationException e)
        {
            return (e.Response.StatusCode, JsonNode.Parse(e.Response.Content));
        }
    }
}
