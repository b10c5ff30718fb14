using System.Text.Json;
using Redoubt.Integration.Tests.Infrastructure;

namespace Redoubt.Integration.Tests.EndToEnd;

/// <summary>backup, backups and restore as a user runs them, through the API on the control plane's socket.</summary>
public sealed class BackupCommandTests
{
    private const string Resource = "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: shop\nspec:\n  replicas: 2\n";

    [Fact]
    public async Task BackupListRestoreAskForConfirmationAndDescribeShowsTheBackups()
    {
        using var cli = new RedoubtCli();
        cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", RedoubtCli.WriteFile("shop.yaml", Resource))).Exit);
        await cli.WaitForAsync("shop", r => r.TryGetProperty("status", out var status) && status.TryGetProperty("nodes", out var nodes) && nodes.EnumerateArray().Any(n => n.GetProperty("role").GetString() == "replica" && n.GetProperty("health").GetString() == "ok"), "a replica in sync");

        var (noneExit, _, noneErr) = await cli.RunAsync("backups", "shop");
        Assert.Equal(0, noneExit);
        Assert.Contains("has no backups", noneErr, StringComparison.Ordinal);

        var (backupExit, backupOut, backupErr) = await cli.RunAsync("backup", "shop", "-o", "json");
        Assert.True(backupExit == 0, backupErr);
        var taken = JsonDocument.Parse(backupOut).RootElement;
        var id = taken.GetProperty("backup").GetProperty("id").GetString()!;
        Assert.Equal("replica", taken.GetProperty("backup").GetProperty("sourceRole").GetString());
        Assert.True(File.Exists(taken.GetProperty("location").GetString()));

        var (listExit, listOut, _) = await cli.RunAsync("backups", "shop");
        Assert.Equal(0, listExit);
        Assert.Contains("SOURCE", listOut, StringComparison.Ordinal);
        Assert.Contains(id, listOut, StringComparison.Ordinal);

        var (refusedExit, _, refusedErr) = await cli.RunAsync("restore", "shop", "--from", id);
        Assert.Equal(1, refusedExit);
        Assert.Contains("--yes", refusedErr, StringComparison.Ordinal);

        var (missingExit, _, missingErr) = await cli.RunAsync("restore", "shop", "--from", "19990101T000000Z", "--yes");
        Assert.Equal(1, missingExit);
        Assert.Contains("no backup 19990101T000000Z", missingErr, StringComparison.Ordinal);

        var (restoreExit, restoreOut, restoreErr) = await cli.RunAsync("restore", "shop", "--from", id, "--yes");
        Assert.True(restoreExit == 0, restoreErr);
        Assert.Contains($"backup default/shop/{id} restored", restoreOut, StringComparison.Ordinal);

        var (_, describeOut, _) = await cli.RunAsync("describe", "shop");
        Assert.Contains($"1 kept, newest {id}", describeOut, StringComparison.Ordinal);
    }
}
