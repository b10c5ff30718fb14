using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Redoubt.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Redoubt.Integration.Tests.EndToEnd;

/// <summary>The dashboard in a real browser, against a real `redoubt serve`: zones and roles, a kill -9 of the master, a switchover, the token.</summary>
public sealed partial class DashboardTests(ITestOutputHelper output)
{
    private const string Resource = "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: board\nspec:\n  replicas: 3\n";

    [Fact]
    public async Task ThePageShowsAFailoverWithinTwoSecondsAndASwitchoverFromItsButton()
    {
        using var cli = new RedoubtCli();
        cli.Serve();
        var address = await DashboardAddressAsync(cli);
        var file = RedoubtCli.WriteFile("board.yaml", Resource);
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", file)).Exit);
        var ready = (await cli.WaitReadyAsync("board")).GetProperty("status");
        var token = (await File.ReadAllTextAsync(Path.Combine(cli.Home, "web-token"))).Trim();

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var driver = playwright;
        await using var chromium = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });

        // The token sets the cookie and leaves the address bar.
        await page.GotoAsync($"{address}?token={token}");
        Assert.Equal(address.ToString(), page.Url);
        await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.Locator(".zone h3")).ToContainTextAsync(["Gland", "Lucerne", "Genève"]);
        var master = Node(ready, "master");
        await Expect(page.Locator("#master-name")).ToHaveTextAsync(master.Name);
        await Expect(page.Locator($".zone[data-zone=\"{master.Zone}\"] .node[data-role=master]")).ToHaveAttributeAsync("data-node", master.Name);
        await Expect(page.Locator(".node[data-role=replica]")).ToHaveCountAsync(2);
        await Expect(page.Locator(".sentinel")).ToHaveCountAsync(3);
        await Expect(page.Locator("#endpoint")).ToHaveTextAsync($"endpoint {ready.GetProperty("endpoint").GetString()}");

        // kill -9 of the master's redis-server: the page shows the new master and the failover. How fast is the
        // dashboard bench's figure (kill to page, about 0.3 s median on an idle machine, against a 2 s target); here
        // the bound is one of correctness: on a clean clone, with the other test projects running beside it, the
        // failover itself once took 2.5 s to reach the status.
        Processes.Signal(master.Pid, Processes.SigKill);
        var killed = Stopwatch.StartNew();
        const float Deadline = 10_000;
        // Between the kill and the promotion the page may say "none"; wait for a master that is another node.
        await Expect(page.Locator("#master-name")).ToHaveTextAsync(new Regex($"^(?!{Regex.Escape(master.Name)}$)redis-\\d+$"), new() { Timeout = Deadline });
        await Expect(page.Locator($"#timeline li.failover[data-from=\"{master.Name}\"]")).ToHaveCountAsync(1, new() { Timeout = Math.Max(1, Deadline - killed.ElapsedMilliseconds) });
        var shown = killed.ElapsedMilliseconds;
        var promoted = await page.Locator("#master-name").TextContentAsync();
        await Expect(page.Locator($".node.promoted[data-node=\"{promoted}\"]")).ToHaveCountAsync(1);
        output.WriteLine($"page showed the new master {promoted} {shown} ms after kill -9 of {master.Name}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ArtifactPath("dashboard-failover.png"), FullPage = true });

        // The switchover button, once the resource is whole again: the page names the new master.
        var healed = (await cli.WaitForAsync("board", r => IsReadyWithAllNodesOk(r), "Ready with every node ok")).GetProperty("status");
        var before = Node(healed, "master");
        await Expect(page.Locator("#master-name")).ToHaveTextAsync(before.Name);
        await Expect(page.Locator("#arrows path[data-replica]")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ArtifactPath("dashboard-after-failover.png"), FullPage = true });
        await page.Locator("#switchover").ClickAsync();
        await Expect(page.Locator("#action-status")).ToHaveTextAsync(new Regex($"^Switchover done: {before.Name} → redis-\\d"), new() { Timeout = 30_000 });
        await Expect(page.Locator("#master-name")).Not.ToHaveTextAsync(before.Name, new() { Timeout = 5000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ArtifactPath("dashboard-switchover.png"), FullPage = true });

        // Without the token: 401, and nothing changes. With it but without the page's header: 403, nothing changes.
        var current = (await cli.WaitForAsync("board", r => IsReadyWithAllNodesOk(r), "Ready with every node ok")).GetProperty("status");
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("api/resources", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("?token=not-the-token", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(new Uri("api/resources/default/board/switchover", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(new Uri("api/resources/default/board/restart", UriKind.Relative), null)).StatusCode);
        using var noHeader = new HttpRequestMessage(HttpMethod.Post, "api/resources/default/board/switchover");
        noHeader.Headers.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(noHeader)).StatusCode);
        var after = (await cli.RunAsync("get", "board", "-o", "json")).Out;
        var afterStatus = JsonDocument.Parse(after).RootElement.GetProperty("status");
        Assert.Equal(current.GetProperty("master").GetString(), afterStatus.GetProperty("master").GetString());
        Assert.Equal(current.GetProperty("lastFailover").GetProperty("time").GetString(), afterStatus.GetProperty("lastFailover").GetProperty("time").GetString());
        Assert.False(JsonDocument.Parse(after).RootElement.GetProperty("metadata").TryGetProperty("annotations", out var annotations)
            && annotations.TryGetProperty("redoubt.io/restartedAt", out _), "a restart was requested without the token");

        // The token never reaches the log.
        Assert.DoesNotContain(cli.ServeOutput, line => line.Contains(token, StringComparison.Ordinal));
    }

    private static async Task<Uri> DashboardAddressAsync(RedoubtCli cli)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (var line in cli.ServeOutput)
            {
                if (ServingLine().Match(line) is { Success: true } match)
                {
                    return new Uri(match.Groups[1].Value);
                }
            }

            await Task.Delay(100);
        }

        Assert.Fail($"`redoubt serve` did not print where the dashboard listens within 30 s. Its output:\n{string.Join('\n', cli.ServeOutput)}");
        return null!;
    }

    private static bool IsReadyWithAllNodesOk(JsonElement resource) =>
        resource.TryGetProperty("status", out var status)
        && status.GetProperty("phase").GetString() == "Ready"
        && status.GetProperty("nodes").EnumerateArray().All(n => n.GetProperty("health").GetString() == "ok")
        && status.GetProperty("sentinelNodes").EnumerateArray().All(n => n.GetProperty("health").GetString() == "ok");

    private static (string Name, string Zone, int Pid) Node(JsonElement status, string role)
    {
        var node = status.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("role").GetString() == role);
        return (node.GetProperty("name").GetString()!, node.GetProperty("zone").GetString()!, node.GetProperty("pid").GetInt32());
    }

    private static string ArtifactPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    [GeneratedRegex(@"Serving metrics and the dashboard on (http://\S+)")]
    private static partial Regex ServingLine();
}
