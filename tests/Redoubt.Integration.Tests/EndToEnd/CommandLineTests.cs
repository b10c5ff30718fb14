using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Redoubt.Integration.Tests.Infrastructure;

namespace Redoubt.Integration.Tests.EndToEnd;

/// <summary>The command line as a user drives it: serve, apply, get, credentials, a control-plane crash, delete.</summary>
public sealed class CommandLineTests
{
    private const string Resource = "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: shop\nspec:\n  replicas: 2\n";

    [Fact]
    public async Task ServeApplyGetCredentialsThenAKilledControlPlaneIsAdoptedWithoutRestartingRedis()
    {
        using var cli = new RedoubtCli();
        var serve = cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);
        var file = RedoubtCli.WriteFile("shop.yaml", Resource);
        var (applyExit, applyOut, _) = await cli.RunAsync("apply", "-f", file);
        Assert.Equal(0, applyExit);
        Assert.Contains("created", applyOut, StringComparison.Ordinal);

        var ready = await cli.WaitReadyAsync("shop");
        var status = ready.GetProperty("status");
        Assert.Equal("mymaster", status.GetProperty("masterName").GetString());
        Assert.Equal(3, status.GetProperty("sentinels").GetArrayLength());
        Assert.StartsWith(cli.Network + ".0.", status.GetProperty("master").GetString(), StringComparison.Ordinal);
        var nodes = status.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["master", "replica"], nodes.Select(n => n.GetProperty("role").GetString()).Order());
        Assert.All(nodes, n => Assert.True(n.TryGetProperty("replicationOffset", out _) && n.TryGetProperty("zone", out _)));

        var (credExit, credJson, _) = await cli.RunAsync("credentials", "shop", "-o", "json");
        Assert.Equal(0, credExit);
        var credentials = JsonDocument.Parse(credJson).RootElement;
        var password = credentials.GetProperty("password").GetString()!;
        Assert.Equal(32, password.Length);
        var (_, credText, _) = await cli.RunAsync("credentials", "shop");
        Assert.DoesNotContain(password, credText, StringComparison.Ordinal);
        Assert.Contains("serviceName=mymaster", credText, StringComparison.Ordinal);
        var secret = Directory.EnumerateFiles(cli.Home, "password", SearchOption.AllDirectories).Single();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        Assert.DoesNotContain(password, string.Join('\n', Directory.EnumerateFiles("/proc", "cmdline", SearchOption.TopDirectoryOnly)), StringComparison.Ordinal);

        // kill -9 of the control plane: Redis keeps serving, and the next one adopts the same processes.
        var pids = nodes.Select(n => n.GetProperty("pid").GetInt32()).Order().ToList();
        serve.Kill();
        await serve.WaitForExitAsync();
        var (downExit, _, downErr) = await cli.RunAsync("get");
        Assert.Equal(1, downExit);
        Assert.Contains("no control plane is running", downErr, StringComparison.Ordinal);
        Assert.All(pids, pid => Assert.True(File.Exists($"/proc/{pid}/stat"), $"redis pid {pid} died with the control plane"));

        cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);
        var adopted = await cli.WaitReadyAsync("shop");
        Assert.Equal(pids, adopted.GetProperty("status").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("pid").GetInt32()).Order().ToList());

        // A rolling restart, followed to the end: every process is new, and applying the file again changes nothing.
        var (restartExit, restartOut, restartErr) = await cli.RunAsync("restart", "shop", "--wait");
        Assert.True(restartExit == 0, restartErr);
        Assert.Contains("rolling restart requested", restartOut, StringComparison.Ordinal);
        Assert.Contains("every node restarted; Ready after", restartOut, StringComparison.Ordinal);
        var restarted = (await cli.WaitReadyAsync("shop")).GetProperty("status").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("pid").GetInt32()).ToList();
        Assert.DoesNotContain(restarted, pids.Contains);
        var (_, reapplied, _) = await cli.RunAsync("apply", "-f", file);
        Assert.Contains("unchanged", reapplied, StringComparison.Ordinal);
        Assert.Equal(1, (await cli.RunAsync("restart", "nosuch")).Exit);
        pids = restarted;

        var (deleteExit, _, _) = await cli.RunAsync("delete", "shop");
        Assert.Equal(0, deleteExit);
        Assert.All(pids, pid => Assert.False(File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal), $"redis pid {pid} still runs after delete"));
        Assert.Equal(1, (await cli.RunAsync("describe", "shop")).Exit);
    }

    [Fact]
    public async Task ASecondControlPlaneOnTheSameHomeIsRefusedClearly()
    {
        using var cli = new RedoubtCli();
        cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);

        var (exit, _, err) = await cli.RunAsync("serve");

        Assert.Equal(1, exit);
        Assert.Contains("already serves", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHomeThatCannotBeWrittenIsAClearError()
    {
        using var cli = new RedoubtCli();
        var blocker = RedoubtCli.WriteFile("not-a-folder", "x");

        var (exit, _, err) = await cli.RunAsync(["serve"], new Dictionary<string, string> { ["REDOUBT_HOME"] = Path.Combine(blocker, "home") });

        Assert.Equal(1, exit);
        Assert.Contains(blocker, err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingRedisIsNamedWithTheFix()
    {
        using var cli = new RedoubtCli();
        var file = RedoubtCli.WriteFile("shop.yaml", Resource);
        var dotnetDir = Path.GetDirectoryName(Environment.ProcessPath)!;

        var (exit, _, err) = await cli.RunAsync(["up", "-f", file], new Dictionary<string, string> { ["PATH"] = dotnetDir + ":/nonexistent" });

        Assert.Equal(1, exit);
        Assert.Contains("redis-server is not installed", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortTakenByAnotherProgramIsReportedWithItsAddress()
    {
        using var cli = new RedoubtCli();
        var serve = cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);
        await cli.RunAsync("apply", "-f", RedoubtCli.WriteFile("shop.yaml", Resource));
        var resource = await cli.WaitReadyAsync("shop");
        var address = resource.GetProperty("status").GetProperty("nodes").EnumerateArray().First(n => n.GetProperty("name").GetString() == "redis-1").GetProperty("address").GetString()!;

        // Stop everything (SIGTERM, as Ctrl-C would), let another program take the node's port, start again.
        Processes.Signal(serve.Id, 15);
        await serve.WaitForExitAsync();
        var (host, port) = (address[..address.LastIndexOf(':')], int.Parse(address[(address.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        using var squatter = new TcpListener(IPAddress.Parse(host), port);
        squatter.Start();
        cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);

        var failed = await cli.WaitForAsync("shop", r => r.GetProperty("status").GetProperty("phase").GetString() == "Failed", "phase Failed");
        var events = failed.GetProperty("status").GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Contains(events, m => m!.Contains(address, StringComparison.Ordinal) && m.Contains("in use by another program", StringComparison.Ordinal));

        // Once the port is free again, the resource heals by itself.
        squatter.Stop();
        await cli.WaitReadyAsync("shop");
    }
}
