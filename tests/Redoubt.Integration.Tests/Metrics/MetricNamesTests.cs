using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Redoubt.Integration.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace Redoubt.Integration.Tests.Metrics;

/// <summary>The alert rules and the dashboard ask only for metrics a real control plane exports, and /metrics serves them without a token.</summary>
public sealed partial class MetricNamesTests
{
    private const string Resource = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: named
          namespace: default
        spec:
          replicas: 2
        """;

    [GeneratedRegex(@"\bredoubt_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [Fact]
    public async Task EveryMetricTheAlertRulesAndTheDashboardUseIsExported()
    {
        using var cli = new RedoubtCli();
        var serve = cli.Serve();
        var metrics = await MetricsAddress.OfAsync(cli, serve);
        var (applyExit, _, applyErr) = await cli.RunAsync("apply", "-f", RedoubtCli.WriteFile("named.yaml", Resource));
        Assert.True(applyExit == 0, applyErr);
        await cli.WaitReadyAsync("named");
        // A backup, so that the series that exist only once there is one (its time, size, duration) are there too.
        var (backupExit, _, backupErr) = await cli.RunAsync("backup", "named");
        Assert.True(backupExit == 0, backupErr);
        // The status turns Ready in the pass that also reports the sample: the next scrape has every node's series.
        var exported = ExportedNames(await ScrapeAsync(metrics));

        var used = RuleExpressions().Concat(DashboardExpressions()).SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(used);
        var missing = used.Where(name => !exported.Contains(name)).Order().ToList();
        Assert.True(missing.Count == 0, $"used in deploy/monitoring but not exported by redoubt serve: {string.Join(", ", missing)}\nexported: {string.Join(", ", exported.Order())}");
    }

    [Fact]
    public async Task MetricsNeedNoTokenAndCarryNone()
    {
        using var cli = new RedoubtCli();
        var serve = cli.Serve();
        var metrics = await MetricsAddress.OfAsync(cli, serve);

        var text = await ScrapeAsync(metrics);

        Assert.Contains("# TYPE redoubt_reconcile_duration_seconds histogram", text, StringComparison.Ordinal);
        var token = (await File.ReadAllTextAsync(Path.Combine(cli.Home, "web-token"))).Trim();
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(Uri metrics)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(metrics);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {metrics} without a token answered {(int)response.StatusCode}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The names of the series in a scrape (a histogram's are its _bucket, _sum and _count).</summary>
    private static HashSet<string> ExportedNames(string text) =>
        text.Split('\n').Where(line => line.StartsWith("redoubt_", StringComparison.Ordinal))
            .Select(line => line[..line.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> RuleExpressions()
    {
        var rules = new DeserializerBuilder().Build().Deserialize<Dictionary<string, List<Dictionary<string, object>>>>(
            File.ReadAllText(MonitoringTools.Monitoring("redoubt-rules.yaml")));
        return rules["groups"].SelectMany(g => (List<object>)g["rules"]).Select(r => (string)((Dictionary<object, object>)r)["expr"]);
    }

    /// <summary>Every query of the dashboard: panels' targets, variables, annotations.</summary>
    private static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(MonitoringTools.Monitoring("redoubt-dashboard.json")));
        var found = new List<string>();
        Collect(dashboard.RootElement, found);
        Assert.NotEmpty(found);
        return found;

        static void Collect(JsonElement element, List<string> found)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Name is "expr" or "query" or "definition" && property.Value.ValueKind == JsonValueKind.String)
                        {
                            found.Add(property.Value.GetString()!);
                        }

                        Collect(property.Value, found);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, found);
                    }

                    break;
            }
        }
    }
}
