using Redoubt.Core.Backup;

namespace Redoubt.Core.Tests.Backup;

/// <summary>redis-check-rdb's reports as redis 7.0.15 prints them.</summary>
public sealed class RdbCheckTests
{
    private const string Whole = """
        [offset 0] Checking RDB file /tmp/dump.rdb
        [offset 27] AUX FIELD redis-ver = '7.0.15'
        [offset 41] AUX FIELD redis-bits = '64'
        [offset 82] Selecting DB ID 0
        [offset 92] Selecting DB ID 2
        [offset 123] Checksum OK
        [offset 123] \o/ RDB looks OK! \o/
        [info] 3 keys read
        [info] 1 expires
        [info] 0 already expired
        """;

    private const string Damaged = """
        [offset 0] Checking RDB file bad.rdb
        --- RDB ERROR DETECTED ---
        [offset 0] Unexpected EOF reading RDB file
        [additional info] While doing: start
        [info] 0 keys read
        [info] 0 expires
        [info] 0 already expired
        """;

    [Fact]
    public void AWholeSnapshotGivesItsKeysExpiresAndVersion()
    {
        var result = RdbCheck.Parse(Whole, exitCode: 0);

        Assert.True(result.Valid);
        Assert.Equal(3, result.Keys);
        Assert.Equal(1, result.Expires);
        Assert.Equal("7.0.15", result.RedisVersion);
    }

    [Fact]
    public void ADamagedSnapshotIsNotValidAndSaysWhy()
    {
        var result = RdbCheck.Parse(Damaged, exitCode: 1);

        Assert.False(result.Valid);
        Assert.Equal("--- RDB ERROR DETECTED ---", RdbCheck.Problem(result));
    }

    [Fact]
    public void AFailedExitIsNotValidEvenWhenTheReportLooksWhole()
    {
        Assert.False(RdbCheck.Parse(Whole, exitCode: 1).Valid);
    }
}
