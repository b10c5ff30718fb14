using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Redoubt.Integration.Tests.Infrastructure;

namespace Redoubt.Integration.Tests.EndToEnd;

/// <summary>
/// What the terminal shows, driven like a user with stdout piped: `up` with progress instead of logs, watches,
/// events, node logs and every command's JSON.
/// </summary>
public sealed class TerminalTests
{
    private const string Resource = "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: shop\nspec:\n  replicas: 2\n";

    [Fact]
    public async Task UpInAPipeShowsProgressAndTheDashboardWhileTheLogGoesToTheHome()
    {
        using var cli = new RedoubtCli();
        var (stdout, stderr) = (new ConcurrentQueue<string>(), new ConcurrentQueue<string>());
        var up = cli.Background(["up", "-f", RedoubtCli.WriteFile("shop.yaml", Resource)], stdout, stderr);

        await EventuallyAsync(() => stdout.Any(line => line.StartsWith("Serving ", StringComparison.Ordinal)), TimeSpan.FromSeconds(90),
            () => $"`up` never printed its closing line. stdout:\n{string.Join('\n', stdout)}\nstderr:\n{string.Join('\n', stderr)}");

        var output = string.Join('\n', stdout);
        var token = File.ReadAllText(Path.Combine(cli.Home, "web-token")).Trim();
        Assert.Contains("redis default/shop: phase Ready", output, StringComparison.Ordinal);
        Assert.Contains("Sentinel master name: mymaster", output, StringComparison.Ordinal);
        var dashboard = Assert.Single(stdout, line => line.StartsWith("Dashboard:", StringComparison.Ordinal));
        Assert.Matches(@"^Dashboard:\s+http://127\.0\.0\.1:\d+/\?token=" + token + "$", dashboard);
        Assert.Matches(@"^Metrics:\s+http://127\.0\.0\.1:\d+/metrics$", Assert.Single(stdout, line => line.StartsWith("Metrics:", StringComparison.Ordinal)));
        Assert.DoesNotContain('\u001b', output + string.Join('\n', stderr));
        // The reconciler's lines are in the home's log, not on the terminal.
        var everything = stdout.Concat(stderr).ToList();
        Assert.DoesNotContain(everything, line => line.Contains(" info ", StringComparison.Ordinal) || line.Contains("ResourceReconciler", StringComparison.Ordinal));
        var log = File.ReadAllLines(Path.Combine(cli.Home, "logs", "control-plane.log"));
        Assert.Contains(log, line => line.Contains(" info ResourceReconciler: ", StringComparison.Ordinal));
        Assert.DoesNotContain(token, string.Join('\n', log), StringComparison.Ordinal);

        // While it runs, other commands learn where the dashboard is, without its token.
        var (credentialsExit, credentials, _) = await cli.RunAsync("credentials", "shop");
        Assert.Equal(0, credentialsExit);
        Assert.Contains("Metrics:", credentials, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(cli.Home, "web-token"), credentials, StringComparison.Ordinal);
        Assert.DoesNotContain(token, credentials, StringComparison.Ordinal);

        Processes.Signal(up.Id, 15);
        await up.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, up.ExitCode);
        Assert.False(File.Exists(Path.Combine(cli.Home, "web.json")), "web.json outlived the control plane that wrote it");
    }

    [Fact]
    public async Task AWatchPrintsANewBlockWhenTheMasterIsKilledAndEventsListTheFailover()
    {
        using var cli = new RedoubtCli();
        cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", RedoubtCli.WriteFile("shop.yaml", Resource))).Exit);
        var ready = await cli.WaitReadyAsync("shop");
        var master = ready.GetProperty("status").GetProperty("master").GetString()!;
        var masterNode = ready.GetProperty("status").GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("role").GetString() == "master");

        var (watched, watchErrors) = (new ConcurrentQueue<string>(), new ConcurrentQueue<string>());
        var watch = cli.Background(["get", "-w"], watched, watchErrors);
        await EventuallyAsync(() => watched.Any(line => line.Contains(master, StringComparison.Ordinal)), TimeSpan.FromSeconds(30),
            () => $"`get -w` never showed the master {master}: {string.Join('\n', watched.Concat(watchErrors))}");
        var blocksBefore = watched.Count(line => line.StartsWith("NAME ", StringComparison.Ordinal));

        Processes.Signal(masterNode.GetProperty("pid").GetInt32(), Processes.SigKill);

        await EventuallyAsync(
            () => watched.Any(line => line.StartsWith("shop ", StringComparison.Ordinal) && line.Contains(cli.Network + ".0.", StringComparison.Ordinal) && !line.Contains(master, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60),
            () => $"`get -w` never showed a master other than {master} after it was killed:\n{string.Join('\n', watched)}");
        Assert.True(watched.Count(line => line.StartsWith("NAME ", StringComparison.Ordinal)) > blocksBefore, "the new master was not printed as a new block");
        Assert.DoesNotContain(watched, line => line.Contains('\u001b'));
        Processes.Signal(watch.Id, 15);
        await watch.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, watch.ExitCode);

        var events = await EventuallyRunAsync(cli, ["events", "shop"], output => output.Contains("FailedOver", StringComparison.Ordinal), "an event FailedOver");
        Assert.StartsWith("TIME ", events, StringComparison.Ordinal);
        Assert.Contains(events.Split('\n'), line => line.Contains("default/shop", StringComparison.Ordinal) && line.Contains("Warning", StringComparison.Ordinal) && line.Contains("FailedOver", StringComparison.Ordinal));
        var (_, eventsJson, _) = await cli.RunAsync("events", "-o", "json");
        Assert.Contains(JsonDocument.Parse(eventsJson).RootElement.EnumerateArray(), e => e.GetProperty("reason").GetString() == "FailedOver" && e.GetProperty("name").GetString() == "shop");
    }

    [Fact]
    public async Task LogsPrintANodesLogAndAWrongNodeNamesTheNodesThatExist()
    {
        using var cli = new RedoubtCli();
        cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", RedoubtCli.WriteFile("shop.yaml", Resource))).Exit);
        await cli.WaitReadyAsync("shop");

        var (exit, log, _) = await cli.RunAsync("logs", "shop", "redis-0");
        Assert.Equal(0, exit);
        Assert.Contains("Ready to accept connections", log, StringComparison.Ordinal);
        var (_, tail, _) = await cli.RunAsync("logs", "shop", "sentinel-1", "--tail", "2");
        Assert.Equal(2, tail.TrimEnd('\n').Split('\n').Length);

        var (wrongExit, _, wrong) = await cli.RunAsync("logs", "shop", "redis-9");
        Assert.Equal(1, wrongExit);
        Assert.Contains("has no node redis-9: its nodes are redis-0, redis-1, sentinel-0, sentinel-1, sentinel-2", wrong, StringComparison.Ordinal);
        var (noResourceExit, _, noResource) = await cli.RunAsync("logs", "nosuch", "redis-0");
        Assert.Equal(1, noResourceExit);
        Assert.Contains("redis default/nosuch not found", noResource, StringComparison.Ordinal);

        // -f prints what the node writes next: a killed replica is started again and says so in its log.
        var replica = (await cli.WaitReadyAsync("shop")).GetProperty("status").GetProperty("nodes").EnumerateArray()
            .Single(n => n.GetProperty("role").GetString() == "replica");
        var (followed, followErrors) = (new ConcurrentQueue<string>(), new ConcurrentQueue<string>());
        var follow = cli.Background(["logs", "shop", replica.GetProperty("name").GetString()!, "-f", "--tail", "1"], followed, followErrors);
        await EventuallyAsync(() => !followed.IsEmpty, TimeSpan.FromSeconds(20), () => $"`logs -f --tail 1` printed nothing: {string.Join('\n', followErrors)}");
        var before = followed.Count;
        Processes.Signal(replica.GetProperty("pid").GetInt32(), Processes.SigKill);
        await EventuallyAsync(() => followed.Skip(before).Any(line => line.Contains("Ready to accept connections", StringComparison.Ordinal)), TimeSpan.FromSeconds(60),
            () => $"`logs -f` did not print the restarted replica's start:\n{string.Join('\n', followed.Concat(followErrors))}");
        Processes.Signal(follow.Id, 15);
        await follow.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, follow.ExitCode);
    }

    [Fact]
    public async Task EveryCommandThatShowsDataWritesJsonThatParses()
    {
        using var cli = new RedoubtCli();
        cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);
        var file = RedoubtCli.WriteFile("shop.yaml", Resource);
        var apply = await JsonOutputAsync(cli, "apply", "-f", file, "-o", "json");
        Assert.Equal("created", apply[0].GetProperty("change").GetString());
        await cli.WaitReadyAsync("shop");

        Assert.Equal("shop", (await JsonOutputAsync(cli, "get", "shop", "-o", "json")).GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("shop", (await JsonOutputAsync(cli, "describe", "shop", "-o", "json")).GetProperty("metadata").GetProperty("name").GetString());
        var credentials = await JsonOutputAsync(cli, "credentials", "shop", "-o", "json");
        Assert.EndsWith("/metrics", credentials.GetProperty("metrics").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty((await JsonOutputAsync(cli, "events", "shop", "-o", "json")).EnumerateArray());
        var failover = await JsonOutputAsync(cli, "failover", "shop", "-o", "json");
        Assert.True(failover.GetProperty("succeeded").GetBoolean());
        Assert.NotEqual(failover.GetProperty("from").GetString(), failover.GetProperty("to").GetString());
        var restart = await JsonOutputAsync(cli, "restart", "shop", "-o", "json");
        Assert.Equal("shop", restart.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(restart.GetProperty("restartedAt").GetString()));
    }

    private static async Task<JsonElement> JsonOutputAsync(RedoubtCli cli, params string[] arguments)
    {
        var (exit, output, errors) = await cli.RunAsync(arguments);
        Assert.True(exit == 0, $"redoubt {string.Join(' ', arguments)} failed: {errors}");
        try
        {
            return JsonDocument.Parse(output).RootElement.Clone();
        }
        catch (JsonException exception)
        {
            Assert.Fail($"redoubt {string.Join(' ', arguments)} printed what is not JSON ({exception.Message}):\n{output}");
            throw;
        }
    }

    private static async Task<string> EventuallyRunAsync(RedoubtCli cli, string[] arguments, Func<string, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var (exit, output, errors) = await cli.RunAsync(arguments);
            last = exit == 0 ? output : errors;
            if (exit == 0 && condition(output))
            {
                return output;
            }
            await Task.Delay(300);
        }
        Assert.Fail($"redoubt {string.Join(' ', arguments)} never showed {what}. Last output:\n{last}");
        return last;
    }

    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail(failure());
            }
            await Task.Delay(100);
        }
    }
}
