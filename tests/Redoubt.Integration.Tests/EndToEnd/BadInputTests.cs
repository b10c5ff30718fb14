using Redoubt.Integration.Tests.Infrastructure;

namespace Redoubt.Integration.Tests.EndToEnd;

/// <summary>Every class of bad input: one clear error naming the file, line and field, a non-zero exit, nothing changed.</summary>
public sealed class BadInputTests
{
    private const string Head = "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: bad\n";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "malformed YAML", Head + "spec:\n  replicas: [1, 2\n", "not valid YAML" },
        { "wrong apiVersion", "apiVersion: apps.cozystack.io/v2\nkind: Redis\nmetadata:\n  name: bad\nspec: {}\n", "apiVersion" },
        { "wrong kind", "apiVersion: apps.cozystack.io/v1alpha1\nkind: Postgres\nmetadata:\n  name: bad\nspec: {}\n", "kind" },
        { "unknown field", Head + "spec:\n  replicaz: 3\n", "spec.replicaz" },
        { "unknown nested field", Head + "spec:\n  sentinel:\n    quorm: 2\n", "spec.sentinel.quorm" },
        { "wrong type", Head + "spec:\n  authEnabled: \"yes\"\n", "spec.authEnabled" },
        { "out of range", Head + "spec:\n  replicas: 0\n", "spec.replicas" },
        { "down-after too small", Head + "spec:\n  sentinel:\n    downAfterMilliseconds: 100\n", "spec.sentinel.downAfterMilliseconds" },
        { "invalid name", "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: Bad_Name\nspec: {}\n", "metadata.name" },
        { "directive injection", Head + "spec:\n  maxmemoryPolicy: \"noeviction\\nreplicaof 10.0.0.1 6379\"\n", "spec.maxmemoryPolicy" },
        { "unknown preset", Head + "spec:\n  resourcesPreset: t1.huge\n", "spec.resourcesPreset" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task UpRejectsTheFileBeforeStartingAnything(string what, string yaml, string mentioned)
    {
        using var cli = new RedoubtCli();
        var file = RedoubtCli.WriteFile("bad.yaml", yaml);

        var (exit, _, err) = await cli.RunAsync("up", "-f", file);

        Assert.True(exit == 1, $"{what}: exit {exit}, stderr: {err}");
        Assert.Contains(file, err, StringComparison.Ordinal);
        Assert.Contains(mentioned, err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(cli.Home, "resources")) && Directory.EnumerateFileSystemEntries(Path.Combine(cli.Home, "resources")).Any(), $"{what}: something was created");
    }

    [Fact]
    public async Task ApplyOfABadFileToARunningControlPlaneChangesNothing()
    {
        using var cli = new RedoubtCli();
        cli.Serve();
        var good = RedoubtCli.WriteFile("good.yaml", Head + "spec:\n  replicas: 1\n");
        await WaitForControlPlaneAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", good)).Exit);
        var before = await cli.WaitReadyAsync("bad");

        // The second document is fine, the first is not: neither is applied.
        var mixed = RedoubtCli.WriteFile("mixed.yaml", Head + "spec:\n  replicas: 99\n---\n" + Head.Replace("name: bad", "name: other", StringComparison.Ordinal) + "spec: {}\n");
        var (exit, _, err) = await cli.RunAsync("apply", "-f", mixed);

        Assert.Equal(1, exit);
        Assert.Contains("spec.replicas", err, StringComparison.Ordinal);
        var (_, list, _) = await cli.RunAsync("get", "-o", "json");
        Assert.DoesNotContain("\"other\"", list, StringComparison.Ordinal);
        var after = await cli.WaitReadyAsync("bad");
        Assert.Equal(before.GetProperty("metadata").GetProperty("generation").GetInt64(), after.GetProperty("metadata").GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task ABadGraceIsRefusedByNameAndRotatesNothing()
    {
        using var cli = new RedoubtCli();
        cli.Serve();
        await WaitForControlPlaneAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", RedoubtCli.WriteFile("good.yaml", Head + "spec:\n  replicas: 1\n"))).Exit);
        await cli.WaitReadyAsync("bad");
        var before = (await cli.RunAsync("credentials", "bad", "--password-only")).Out;

        foreach (var (arguments, mentioned) in new[]
        {
            ((string[])["credentials", "bad", "--rotate", "--grace", "ten minutes"], "must be a duration such as 30s, 10m"),
            (["credentials", "bad", "--rotate", "--grace", "25h"], "to 24h"),
            (["credentials", "bad", "--grace", "10m"], "--grace goes with --rotate"),
        })
        {
            var (exit, stdout, err) = await cli.RunAsync(arguments);

            Assert.True(exit == 1, $"{string.Join(' ', arguments)}: exit {exit}, stderr: {err}");
            Assert.Contains("--grace", err, StringComparison.Ordinal);
            Assert.Contains(mentioned, err, StringComparison.Ordinal);
            Assert.Equal("", stdout);
        }

        Assert.Equal(before, (await cli.RunAsync("credentials", "bad", "--password-only")).Out);
        var (_, resource, _) = await cli.RunAsync("get", "bad", "-o", "json");
        Assert.DoesNotContain("passwordRotatedAt", resource, StringComparison.Ordinal);
        Assert.DoesNotContain("passwordRotation", resource, StringComparison.Ordinal);
    }

    internal static async Task WaitForControlPlaneAsync(RedoubtCli cli)
    {
        for (var i = 0; i < 300; i++)
        {
            if ((await cli.RunAsync("get")).Exit == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("redoubt serve did not start serving within 30 s");
    }
}
