using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Redoubt.Kubernetes.Tests.Fakes;
using Redoubt.Kubernetes.Tests.Operator;
using Redoubt.Model;
using Redoubt.Web;
using Redoubt.Web.Dashboard;

namespace Redoubt.Kubernetes.Tests.Dashboard;

/// <summary>The dashboard as the operator serves it, over HTTP, against the in-process Kubernetes API.</summary>
public sealed class OperatorDashboardTests : IAsyncLifetime
{
    private readonly WebToken _token = WebToken.Ephemeral();
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeKubernetesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ItAsksForItsTokenAndListsTheResourceWithTheStatusTheOperatorWrote()
    {
        await using var op = await ServeAsync();
        using var anonymous = new HttpClient { BaseAddress = op.Web!.Address, Timeout = TimeSpan.FromSeconds(60) };
        using var http = Client(op);

        foreach (var path in (string[])["", "api/resources", "api/live", "assets/dashboard.js"])
        {
            using var refused = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"/{path} without the token: {refused.StatusCode}");
            Assert.Contains(OperatorDashboardToken.Option, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var metrics = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);

        var view = await EventuallyListedAsync(http, v => v["phase"]?.GetValue<string>() == Phases.Provisioning, "the resource with the status the operator wrote");
        Assert.Equal("default", view["namespace"]!.GetValue<string>());
        Assert.Equal("example", view["name"]!.GetValue<string>());
        Assert.Equal(1, view["generation"]!.GetValue<long>());
        Assert.Contains(view["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Reconciled" && c["status"]!.GetValue<string>() == "True");
        Assert.Contains(view["events"]!.AsArray(), e => e!["reason"]!.GetValue<string>() == "Planned");
        Assert.DoesNotContain(op.Log.Lines, line => line.Contains(_token.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheLiveFeedSendsAResourceEventWhenTheOperatorWritesANewStatus()
    {
        await using var op = await ServeAsync();
        using var http = Client(op);
        await EventuallyListedAsync(http, v => v["phase"]?.GetValue<string>() == Phases.Provisioning, "the first status");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<string>();

        try
        {
            await foreach (var (name, data) in LiveFeedReader.ReadAsync(http, deadline.Token))
            {
                seen.Add($"{name} {data}");
                var body = JsonNode.Parse(data)!;
                if (name == "snapshot")
                {
                    Assert.Contains(body["resources"]!.AsArray(), v => v!["key"]!.GetValue<string>() == "default/example");
                    // A running pod: the next pass reports it as master, a status change the feed must carry.
                    Cluster.CreateRedisPod(_api, "example", 0, "10.0.0.10");
                }
                else if (name == "resource" && body["key"]!.GetValue<string>() == "default/example" && body["phase"]!.GetValue<string>() == Phases.Ready)
                {
                    Assert.Equal("10.0.0.10:6379", body["master"]!.GetValue<string>());
                    Assert.NotNull(body["changedAt"]);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }

        Assert.Fail($"within 60 s: a resource event with the Ready status\nevents:\n{string.Join("\n", seen)}\noperator log:\n{string.Join("\n", op.Log.Lines.TakeLast(40))}");
    }

    [Fact]
    public async Task ARollingRestartAnnotatesTheObjectAsKubectlAnnotateWouldAndTheLeaderCarriesItOut()
    {
        await using var op = await ServeAsync();
        using var http = Client(op);
        await EventuallyListedAsync(http, v => v["phase"]?.GetValue<string>() == Phases.Provisioning, "the first status");
        var passes = op.Reconcilers.Passes.Count;

        using (var fromElsewhere = await http.PostAsync(new Uri("api/resources/default/example/restart", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, fromElsewhere.StatusCode);
            Assert.Null(RestartedAt());
        }

        using var missing = await ActAsync(http, "api/resources/default/nothing/restart");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var accepted = await ActAsync(http, "api/resources/default/example/restart");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var mark = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["requested"]!.GetValue<string>();
        Assert.Equal(mark, RestartedAt());
        await Cluster.EventuallyAsync(() => op.Reconcilers.Passes.Count > passes, "the annotation brings a pass");
    }

    [Fact]
    public async Task ASwitchoverOnTheLeaderGoesThroughItsControlLoopToTheReconciler()
    {
        await using var op = await ServeAsync();
        using var http = Client(op);
        await Cluster.EventuallyAsync(() => op.Reconcilers.Passes.Contains("default/example"), "the resource has its reconciler");

        using var response = await ActAsync(http, "api/resources/default/example/switchover");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(result["succeeded"]!.GetValue<bool>());
        Assert.Equal("rfr-redis-example-1", result["to"]!.GetValue<string>());
        Assert.Equal("default/example", Assert.Single(op.Reconcilers.Switchovers));
    }

    [Fact]
    public async Task AReplicaThatDoesNotLeadShowsTheResourcesButRefusesASwitchoverNamingTheLeader()
    {
        Cluster.CreateRedis(_api);
        await using var leader = new RunningOperator(_api, RunningOperator.Options("redoubt-a", leaderElection: true));
        await Cluster.EventuallyAsync(() => !leader.Reconcilers.Passes.IsEmpty, "the first instance leads and reconciles");
        await using var follower = await RunningOperator.ServeAsync(_api, RunningOperator.Options("redoubt-b", leaderElection: true), _token);
        using var http = Client(follower);
        await EventuallyListedAsync(http, v => v["phase"]?.GetValue<string>() == Phases.Provisioning, "the leader's status, on the replica that does not lead");
        await Cluster.EventuallyAsync(() => follower.Log.Lines.Any(l => l.Contains("leader is now redoubt-a", StringComparison.Ordinal)), "the follower has seen who leads");

        using var response = await ActAsync(http, "api/resources/default/example/switchover");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>();
        Assert.Contains("(redoubt-b) is not the leader", message, StringComparison.Ordinal);
        Assert.Contains("held by redoubt-a", message, StringComparison.Ordinal);
        Assert.Empty(leader.Reconcilers.Switchovers);
        Assert.Empty(follower.Reconcilers.Switchovers);
    }

    [Fact]
    public async Task WithoutATokenTheListenerServesMetricsOnly()
    {
        await using var op = await ServeAsync(withToken: false);
        using var anonymous = new HttpClient { BaseAddress = op.Web!.Address, Timeout = TimeSpan.FromSeconds(60) };

        using var metrics = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        foreach (var path in (string[])["", "api/resources", "api/live"])
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"/{path}: {response.StatusCode}");
        }
    }

    /// <summary>A Redis in the API, and an operator serving the dashboard for it with the test's token (or metrics only).</summary>
    private async Task<RunningOperator> ServeAsync(bool withToken = true)
    {
        Cluster.CreateRedis(_api);
        return await RunningOperator.ServeAsync(_api, RunningOperator.Options(), withToken ? _token : null);
    }

    private string? RestartedAt() =>
        _api.Store.Get("redises", "default", "example")?["metadata"]?["annotations"]?[ResourceAnnotations.RestartedAt]?.GetValue<string>();

    private HttpClient Client(RunningOperator op)
    {
        var http = new HttpClient { BaseAddress = op.Web!.Address, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token.Value);
        return http;
    }

    /// <summary>A POST as the page sends it: with the action header.</summary>
    private static async Task<HttpResponseMessage> ActAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add(DashboardAccess.ActionHeader, "dashboard");
        return await http.SendAsync(request);
    }

    /// <summary>The resource's view in <c>/api/resources</c>, once it matches.</summary>
    private static async Task<JsonNode> EventuallyListedAsync(HttpClient http, Func<JsonNode, bool> matches, string what)
    {
        JsonNode? found = null;
        var last = "";
        await Cluster.EventuallyAsync(async () =>
        {
            last = await http.GetStringAsync(new Uri("api/resources", UriKind.Relative));
            found = JsonNode.Parse(last)!.AsArray().FirstOrDefault(v => v!["key"]!.GetValue<string>() == "default/example" && matches(v!));
            return found is not null;
        }, () => $"/api/resources shows {what}; its last answer: {last}");
        return found!;
    }
}
