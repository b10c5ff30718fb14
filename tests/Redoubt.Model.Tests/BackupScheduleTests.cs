namespace Redoubt.Model.Tests;

public sealed class BackupScheduleTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 3 * * *", "2026-12-04T03:00:00Z")]
    [InlineData("*/15 * * * *", "2026-12-03T12:15:00Z")]
    [InlineData("@hourly", "2026-12-03T13:00:00Z")]
    [InlineData("@daily", "2026-12-04T00:00:00Z")]
    [InlineData(" 30 12 * * * ", "2026-12-03T12:30:00Z")]
    public void TheNextBackupIsTheScheduleFirstTimeAfterInUtc(string schedule, string next)
    {
        var parsed = BackupSchedule.Of(new RedisSpec { Backup = new BackupSpec { Schedule = schedule } });

        Assert.NotNull(parsed);
        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture), parsed.NextAfter(Noon));
        Assert.Equal(SpecDefaults.BackupRetention, parsed.Retention);
    }

    [Fact]
    public void WithoutAScheduleThereIsNoneButRetentionStillAppliesToBackupsTakenByHand()
    {
        Assert.Null(BackupSchedule.Of(new RedisSpec()));
        Assert.Null(BackupSchedule.RetentionOf(new RedisSpec()));
        Assert.Null(BackupSchedule.Of(new RedisSpec { Backup = new BackupSpec { Retention = 3 } }));
        Assert.Equal(3, BackupSchedule.RetentionOf(new RedisSpec { Backup = new BackupSpec { Retention = 3 } }));
        Assert.Equal(SpecDefaults.BackupRetention, BackupSchedule.RetentionOf(new RedisSpec { Backup = new BackupSpec() }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0 3 * *")]
    [InlineData("0 3 * * * *")]
    [InlineData("0 3 * * *\nsave 1 1")]
    [InlineData("@sometimes")]
    public void MalformedSchedulesAreRefused(string schedule)
    {
        Assert.False(BackupSchedule.TryParse(schedule, out _));
    }
}
