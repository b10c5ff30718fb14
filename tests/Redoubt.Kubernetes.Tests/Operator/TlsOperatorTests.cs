using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Redoubt.Core.Tls;
using Redoubt.Kubernetes.Tests.Fakes;

namespace Redoubt.Kubernetes.Tests.Operator;

/// <summary>The operator fills a TLS resource's Secrets: a CA of its own, and a certificate per pod naming the pod.</summary>
public sealed class TlsOperatorTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeKubernetesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task EveryPodGetsACertificateFromTheResourcesCaNamingItsDnsNamesAndItsIp()
    {
        Cluster.CreateRedis(_api, spec: """{"replicas": 2, "tls": {"enabled": true}}""");
        Cluster.CreateRedisPod(_api, "example", 0, "10.0.0.10");
        await using var op = new RunningOperator(_api, RunningOperator.Options());

        await Cluster.EventuallyAsync(() => _api.Store.List("statefulsets", "default").Count > 0, "the StatefulSet is applied");
        Assert.True(Data("redis-example-tls")?.ContainsKey("rfr-redis-example-1.crt") == true, $"keys: {string.Join(", ", Data("redis-example-tls")?.Keys.ToList() ?? [])}");
        var authority = Data("redis-example-tls-ca")!;
        var certificates = Data("redis-example-tls")!;
        using var ca = X509Certificate2.CreateFromPem(authority["ca.crt"]);
        Assert.Equal(authority["ca.crt"], certificates["ca.crt"]);
        Assert.DoesNotContain("ca.key", certificates.Keys);
        Assert.Equal(["ca.crt", "rfr-redis-example-0.crt", "rfr-redis-example-0.key", "rfr-redis-example-1.crt", "rfr-redis-example-1.key", "sentinel.crt", "sentinel.key"], certificates.Keys.Order(StringComparer.Ordinal));

        using var pod0 = X509Certificate2.CreateFromPem(certificates["rfr-redis-example-0.crt"], certificates["rfr-redis-example-0.key"]);
        var (dns, ips) = CertificateRenewal.SubjectAlternativeNames(pod0);
        Assert.Contains("rfr-redis-example-0.rfr-redis-example.default.svc.cluster.local", dns);
        Assert.Contains("rfrm-redis-example.default.svc", dns);
        Assert.Contains(IPAddress.Parse("10.0.0.10"), ips);
        Assert.Equal(ca.Subject, pod0.Issuer);
        using var sentinel = X509Certificate2.CreateFromPem(certificates["sentinel.crt"]);
        Assert.Contains("rfs-redis-example.default.svc", CertificateRenewal.SubjectAlternativeNames(sentinel).Dns);

        // No pod mounts the CA's key.
        var templates = _api.Store.List("statefulsets", "default").Concat(_api.Store.List("deployments", "default")).Select(t => t.ToJsonString()).ToList();
        Assert.All(templates, t => Assert.DoesNotContain("redis-example-tls-ca", t, StringComparison.Ordinal));
        Assert.Contains(templates, t => t.Contains("\"secretName\":\"redis-example-tls\"", StringComparison.Ordinal));
    }

    private Dictionary<string, string>? Data(string secret) =>
        _api.Store.Get("secrets", "default", secret)?["data"]?.AsObject()
            .ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(Convert.FromBase64String(p.Value!.GetValue<string>())));
}
