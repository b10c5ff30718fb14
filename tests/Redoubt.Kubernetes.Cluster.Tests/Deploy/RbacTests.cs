using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;
using Redoubt.Kubernetes.Tests;

namespace Redoubt.Kubernetes.Cluster.Tests.Deploy;

/// <summary>
/// deploy/rbac.yaml on a real API server with RBAC on: the operator's ServiceAccount, authenticated with a token the
/// API server issued for it, may do exactly what the file grants and nothing more.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RbacTests(ClusterFixture fixture)
{
    private const string OperatorNamespace = OperatorInstall.Namespace;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly string[] Verbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

    private readonly TestCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task ServiceAccountIsAllowedEveryGrantedVerbAndDeniedEveryOther()
    {
        using var ct = new CancellationTokenSource(Deadline);
        using var operatorClient = TestCluster.Client(await InstallRbacAsync(ct.Token));
        var grants = Grants();
        Assert.NotEmpty(grants);

        var wrong = new List<string>();
        foreach (var resource in grants.Select(g => (g.Group, g.Resource, g.Namespace)).Distinct())
        {
            var allowedVerbs = grants.Where(g => (g.Group, g.Resource, g.Namespace) == resource).Select(g => g.Verb).ToHashSet();
            foreach (var verb in Verbs)
            {
                var allowed = await CanAsync(operatorClient, verb, resource.Group, resource.Resource, resource.Namespace ?? "default", ct.Token);
                if (allowed != allowedVerbs.Contains(verb))
                {
                    wrong.Add($"{verb} {resource.Resource}.{resource.Group} in {resource.Namespace ?? "any namespace"}: {(allowed ? "allowed" : "denied")}");
                }
            }

            // A namespaced Role grants nothing outside its namespace.
            if (resource.Namespace is not null && await CanAsync(operatorClient, allowedVerbs.First(), resource.Group, resource.Resource, "default", ct.Token))
            {
                wrong.Add($"{resource.Resource}.{resource.Group} is allowed outside {resource.Namespace}");
            }
        }

        Assert.True(wrong.Count == 0, "the ServiceAccount's permissions differ from deploy/rbac.yaml:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task ServiceAccountTakesItsLeaseOnlyInItsOwnNamespace()
    {
        using var ct = new CancellationTokenSource(Deadline);
        using var operatorClient = TestCluster.Client(await InstallRbacAsync(ct.Token));
        var lease = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = $"rbac-test-{Guid.NewGuid():N}"[..24] },
            Spec = new V1LeaseSpec { HolderIdentity = "rbac-test", LeaseDurationSeconds = 15 },
        };

        var created = await operatorClient.CoordinationV1.CreateNamespacedLeaseAsync(lease, OperatorNamespace, cancellationToken: ct.Token);
        created.Spec.HolderIdentity = "rbac-test-2";
        var updated = await operatorClient.CoordinationV1.ReplaceNamespacedLeaseAsync(created, created.Metadata.Name, OperatorNamespace, cancellationToken: ct.Token);
        Assert.Equal("rbac-test-2", updated.Spec.HolderIdentity);

        var elsewhere = await Assert.ThrowsAsync<HttpOperationException>(() =>
            operatorClient.CoordinationV1.CreateNamespacedLeaseAsync(lease, "default", cancellationToken: ct.Token));
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.Response.StatusCode);
    }

    [Fact]
    public async Task ServiceAccountCannotListSecrets()
    {
        using var ct = new CancellationTokenSource(Deadline);
        using var operatorClient = TestCluster.Client(await InstallRbacAsync(ct.Token));

        // It reads its own Secret by name; listing would hand it every password in the cluster.
        var denied = await Assert.ThrowsAsync<HttpOperationException>(() =>
            operatorClient.CoreV1.ListNamespacedSecretAsync("default", cancellationToken: ct.Token));
        Assert.Equal(HttpStatusCode.Forbidden, denied.Response.StatusCode);
    }

    private Task<string> InstallRbacAsync(CancellationToken ct) => OperatorInstall.InstallAsync(_cluster, ct);

    /// <summary>Every (verb, group, resource, namespace) rbac.yaml grants; a null namespace for a ClusterRole's rules.</summary>
    private static List<(string Verb, string Group, string Resource, string? Namespace)> Grants()
    {
        var grants = new List<(string, string, string, string?)>();
        foreach (var document in YamlDocuments.Read(File.ReadAllText(TestPaths.Deploy("rbac.yaml"))))
        {
            var kind = document!["kind"]!.GetValue<string>();
            if (kind is not ("ClusterRole" or "Role"))
            {
                continue;
            }

            var ns = kind == "Role" ? document["metadata"]!["namespace"]!.GetValue<string>() : null;
            foreach (var rule in document["rules"]!.AsArray())
            {
                foreach (var group in Strings(rule!["apiGroups"]))
                {
                    foreach (var resource in Strings(rule["resources"]))
                    {
                        grants.AddRange(Strings(rule["verbs"]).Select(verb => (verb, group, resource, ns)));
                    }
                }
            }
        }

        return grants;
    }

    private static IEnumerable<string> Strings(JsonNode? array) => array!.AsArray().Select(v => v!.GetValue<string>());

    private static async Task<bool> CanAsync(IKubernetes client, string verb, string group, string resource, string ns, CancellationToken ct)
    {
        var parts = resource.Split('/');
        var review = new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = verb,
                    Group = group,
                    Resource = parts[0],
                    Subresource = parts.Length > 1 ? parts[1] : null,
                    NamespaceProperty = ns,
                },
            },
        };
        var answer = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(review, cancellationToken: ct);
        return answer.Status.Allowed;
    }
}
