using Redoubt.Core.Backup;
using Redoubt.Model;

namespace Redoubt.Core.Tests.Backup;

public sealed class BackupSourceTests
{
    private static NodeStatus Node(string name, string role, string health, long? lag = null) =>
        new() { Name = name, Role = role, Health = health, Address = $"127.0.0.1:{6379 + name[^1] - '0'}", LagBytes = lag };

    private static RedisStatus Status(params NodeStatus[] nodes) =>
        new() { Nodes = [.. nodes], Master = nodes.FirstOrDefault(n => n.Role == "master")?.Address };

    [Fact]
    public void InSyncReplicasComeFirstLeastLagFirstAndTheMasterLast()
    {
        var candidates = BackupSource.Candidates(Status(
            Node("redis-0", "master", "ok"),
            Node("redis-1", "replica", "ok", lag: 500),
            Node("redis-2", "replica", "ok", lag: 0)));

        Assert.Equal(["redis-2", "redis-1", "redis-0"], candidates.Select(c => c.Node));
        Assert.Equal([false, false, true], candidates.Select(c => c.IsMaster));
    }

    [Theory]
    [InlineData("replica", "syncing")]
    [InlineData("replica", "not in sync")]
    [InlineData("replica", "loading")]
    [InlineData("parked", "waiting for a master")]
    [InlineData("unreachable", "down: timeout")]
    public void ANodeThatIsNotAnInSyncReplicaIsNeverAskedAndOnlyTheMasterIsLeft(string role, string health)
    {
        var candidates = BackupSource.Candidates(Status(Node("redis-0", "master", "ok"), Node("redis-1", role, health)));

        Assert.Equal(["redis-0"], candidates.Select(c => c.Node));
        Assert.True(candidates[0].IsMaster);
    }

    [Fact]
    public void AMasterThatIsNotTheOneTheStatusNamesIsNotACandidate()
    {
        var status = Status(Node("redis-0", "master", "ok"), Node("redis-1", "master", "ok"));
        status.Master = status.Nodes[1].Address;

        Assert.Equal(["redis-1"], BackupSource.Candidates(status).Select(c => c.Node));
    }

    [Fact]
    public void NoStatusMeansNoCandidate()
    {
        Assert.Empty(BackupSource.Candidates(null));
        Assert.Empty(BackupSource.Candidates(new RedisStatus()));
    }
}
