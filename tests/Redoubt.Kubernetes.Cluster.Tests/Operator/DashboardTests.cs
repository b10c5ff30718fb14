using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;
using Redoubt.Model;
using Redoubt.Web.Dashboard;

namespace Redoubt.Kubernetes.Cluster.Tests.Operator;

/// <summary>
/// The operator's dashboard against a real API server: it asks for its token, lists the Redis with the status the
/// operator wrote through the status subresource, and a rolling restart from it lands on the object as the restart
/// annotation (a patch the ServiceAccount's RBAC must allow). Metrics need no token.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class DashboardTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private readonly TestCluster _cluster = fixture.Cluster;

    [GeneratedRegex(@"Serving metrics and the dashboard on (http://\S+)")]
    private static partial Regex Serving();

    [Fact]
    public async Task ItAsksForItsTokenShowsTheStatusOnTheServerAndARestartAnnotatesTheObject()
    {
        using var ct = new CancellationTokenSource(Deadline);
        await using var scenario = await OperatorScenario.StartAsync(_cluster, "dashboard", ct.Token, startOperator: false);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var tokenFile = Path.Combine(_cluster.Directory, $"{scenario.Namespace}-dashboard-token");
        await File.WriteAllTextAsync(tokenFile, token + "\n", ct.Token);
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var op = scenario.StartOperator("a", options: ["--dashboard-token-file", tokenFile]);
        await scenario.ApplyAsync(RedisYaml.Of("shop", scenario.Namespace, "replicas: 2"));
        var address = new Uri(await scenario.UntilAsync("the operator's dashboard address in its log", () =>
            Task.FromResult(File.Exists(op.LogPath) ? File.ReadLines(op.LogPath).Select(l => Serving().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value : null)));
        using var anonymous = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using (var refused = await anonymous.GetAsync(new Uri("api/resources", UriKind.Relative), ct.Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var metrics = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative), ct.Token))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Contains("redoubt_reconcile_duration_seconds", await metrics.Content.ReadAsStringAsync(ct.Token), StringComparison.Ordinal);
        }

        // The view the page shows: the object and the status the operator wrote on the server.
        var key = $"{scenario.Namespace}/shop";
        var last = "";
        var view = await scenario.UntilAsync("the Redis in /api/resources with the operator's status", async () =>
        {
            last = await http.GetStringAsync(new Uri("api/resources", UriKind.Relative), ct.Token);
            return JsonNode.Parse(last)!.AsArray().FirstOrDefault(v => v!["key"]!.GetValue<string>() == key && v["conditions"]!.AsArray().Count > 0);
        });
        var stored = (await scenario.GetRedisAsync("shop"))!;
        Assert.Equal(stored["status"]!["phase"]!.GetValue<string>(), view["phase"]!.GetValue<string>());
        Assert.Equal(1, view["generation"]!.GetValue<long>());
        Assert.Contains(view["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Reconciled" && c["status"]!.GetValue<string>() == "True");

        // A rolling restart from the page: the operator that leads patches the annotation onto the object.
        var accepted = await scenario.UntilAsync("the leader accepting the restart", async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/resources/{key}/restart");
            request.Headers.Add(DashboardAccess.ActionHeader, "dashboard");
            using var response = await http.SendAsync(request, ct.Token);
            return response.StatusCode == HttpStatusCode.Accepted ? JsonNode.Parse(await response.Content.ReadAsStringAsync(ct.Token)) : null;
        });
        var mark = accepted["requested"]!.GetValue<string>();
        var annotated = (await scenario.GetRedisAsync("shop"))!;
        Assert.Equal(mark, annotated["metadata"]!["annotations"]?[ResourceAnnotations.RestartedAt]?.GetValue<string>());
        Assert.Equal(0, scenario.LogLines(token));
    }
}
