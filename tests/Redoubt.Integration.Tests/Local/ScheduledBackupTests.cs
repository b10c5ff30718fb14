using Redoubt.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>A spec that schedules backups gets them, and its status says when the last one was and when the next is.</summary>
public sealed class ScheduledBackupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AnEveryMinuteScheduleTakesABackupAndTheStatusShowsItAndTheNextOne()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync("""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: scheduled
              namespace: default
            spec:
              replicas: 2
              backup:
                schedule: "* * * * *"
                retention: 1
            """);
        await cluster.WaitReadyAsync("scheduled");
        await using (var client = await cluster.ConnectAsync("scheduled"))
        {
            await client.GetDatabase().StringSetAsync("before-the-backup", "kept");
        }

        // The first minute boundary after the schedule was seen, plus the scheduler's tick.
        var backedUp = await cluster.WaitUntilAsync("scheduled", r => r.Status?.Backup?.Last is not null, "a scheduled backup", TimeSpan.FromSeconds(90));
        var backup = backedUp.Status!.Backup!;
        output.WriteLine($"backup {backup.Last} at {backup.LastTime:u}, {backup.LastSizeBytes} bytes; next at {backup.NextTime:u}");
        Assert.Equal(1, backup.Count);
        Assert.Null(backup.LastFailure);
        Assert.NotNull(backup.NextTime);
        Assert.True(backup.NextTime > backup.LastTime, "the next scheduled backup is not after the last one");
        Assert.Equal(0, backup.NextTime!.Value.Second);

        var listed = Assert.Single(await cluster.ControlPlane.ListBackupsAsync("default", "scheduled", CancellationToken.None));
        Assert.Equal(backup.Last, listed.Id);
        Assert.Equal("replica", listed.SourceRole);
        Assert.True(listed.Keys >= 1, $"the backup holds {listed.Keys} keys");
    }
}
