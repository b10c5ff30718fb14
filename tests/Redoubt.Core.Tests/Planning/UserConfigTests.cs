using Redoubt.Core.Access;
using Redoubt.Core.Planning;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.RedisConfigText;

namespace Redoubt.Core.Tests.Planning;

public sealed class UserConfigTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);
    private static readonly RedoubtPasswords Own = new("adminPassword1", "replicationPassword1", "sentinelPassword1");
    private static readonly ResourceSecrets WithUsers = new("applicationPassword1", Own);

    private static RedisNodeConfig Node(ResourceSecrets secrets, ResourcePlan? plan = null) => new()
    {
        Plan = plan ?? Plan,
        Node = (plan ?? Plan).RedisNodes[1],
        Bind = ["127.0.1.2"],
        Port = 7001,
        DataDirectory = "/data/redis-1",
        Secrets = secrets,
        ParkHost = "127.0.1.2",
        ParkPort = 7001,
    };

    private static SentinelNodeConfig Sentinel(ResourceSecrets secrets) => new()
    {
        Plan = Plan,
        Node = Plan.Sentinels[0],
        Bind = ["127.0.1.1"],
        Port = 26000,
        Directory = "/data/sentinel-0",
        Secrets = secrets,
        Master = ("127.0.1.1", 7000),
    };

    [Fact]
    public void ARedisNodeHasEveryUserWithItsPasswordHashedAndLogsInToItsMasterAsTheReplicationUser()
    {
        var text = RedisConfigRenderer.RenderRedis(Node(WithUsers));

        Assert.Equal(
            [
                $"user redoubt-admin on #{PasswordHash.Of(Own.Admin)} ~* &* +@all",
                $"user redoubt-replication on #{PasswordHash.Of(Own.Replication)} {AclUsers.ReplicationRules}",
                $"user redoubt-sentinel on #{PasswordHash.Of(Own.Sentinel)} {AclUsers.SentinelOnRedis}",
                $"user default on #{PasswordHash.Of("applicationPassword1")} {AclUsers.ApplicationOnRedis}",
            ],
            All(text, "user").Select(d => string.Join(' ', d)));
        Assert.Equal(["masteruser", "redoubt-replication"], Assert.Single(All(text, "masteruser")));
        Assert.Equal(["masterauth", Own.Replication], Assert.Single(All(text, "masterauth")));
        Assert.Empty(All(text, "requirepass"));
        Assert.DoesNotContain("applicationPassword1", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Own.Admin, text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithAuthOffApplicationsNeedNoPasswordButRedoubtsOwnUsersKeepTheirs()
    {
        var plan = TestPlans.Of(replicas: 3, s => s.AuthEnabled = false);

        var users = All(RedisConfigRenderer.RenderRedis(Node(new ResourceSecrets(null, Own), plan)), "user").ToDictionary(d => d[1], d => d[3]);

        Assert.Equal("nopass", users["default"]);
        Assert.Equal("#" + PasswordHash.Of(Own.Admin), users["redoubt-admin"]);
        Assert.Equal("#" + PasswordHash.Of(Own.Replication), users["redoubt-replication"]);
        Assert.Equal("#" + PasswordHash.Of(Own.Sentinel), users["redoubt-sentinel"]);
    }

    [Fact]
    public void ASentinelHasItsUsersAndLogsInToPeersAndNodesAsTheSentinelUser()
    {
        var text = RedisConfigRenderer.RenderSentinel(Sentinel(WithUsers));

        Assert.Equal(["redoubt-admin", "redoubt-sentinel", "default"], All(text, "user").Select(d => d[1]));
        Assert.Equal(AclUsers.ApplicationOnSentinel, string.Join(' ', Assert.Single(All(text, "user"), d => d[1] == "default").Skip(4)));
        var sentinel = All(text, "sentinel").Select(d => string.Join(' ', d)).ToList();
        Assert.Contains("sentinel sentinel-user redoubt-sentinel", sentinel);
        Assert.Contains($"sentinel sentinel-pass {Own.Sentinel}", sentinel);
        Assert.Contains("sentinel auth-user mymaster redoubt-sentinel", sentinel);
        Assert.Contains($"sentinel auth-pass mymaster {Own.Sentinel}", sentinel);
        Assert.Empty(All(text, "requirepass"));
        Assert.DoesNotContain("applicationPassword1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AddingRedoubtsOwnUsersRestartsNoNode()
    {
        var legacy = new ResourceSecrets("applicationPassword1", null);

        Assert.Equal(Revisions.OfRedis(Node(legacy)), Revisions.OfRedis(Node(WithUsers)));
        Assert.Equal(Revisions.OfSentinel(Sentinel(legacy)), Revisions.OfSentinel(Sentinel(WithUsers)));
    }

    [Fact]
    public void AnotherApplicationPasswordRestartsNoNode()
    {
        var rotated = WithUsers with { Application = "applicationPassword2", Retiring = new RetiringPassword("applicationPassword1", DateTimeOffset.UnixEpoch) };

        Assert.Equal(Revisions.OfRedis(Node(WithUsers)), Revisions.OfRedis(Node(rotated)));
        Assert.Equal(Revisions.OfSentinel(Sentinel(WithUsers)), Revisions.OfSentinel(Sentinel(rotated)));
    }

    [Fact]
    public void TurningAuthOffStillRestartsNodes()
    {
        Assert.NotEqual(Revisions.OfRedis(Node(WithUsers)), Revisions.OfRedis(Node(WithUsers with { Application = null })));
    }

    [Fact]
    public void ANodeStartedByAnEarlierVersionIsCurrentWithEitherPasswordOfARotation()
    {
        // Earlier versions hashed the file with the application password's own requirepass line.
        static string Earlier(string password) => ContentHash.Of(RedisConfigRenderer.RenderRedis(Node(new ResourceSecrets(password, null)) with { Plan = Plan with { RedisSettings = [] } }));
        var rotating = WithUsers with { Application = "applicationPassword2", Retiring = new RetiringPassword("applicationPassword1", DateTimeOffset.UnixEpoch) };

        Assert.Equal([Earlier("applicationPassword2"), Earlier("applicationPassword1")], Revisions.EarlierOfRedis(Node(rotating)));
        Assert.DoesNotContain(Revisions.OfRedis(Node(rotating)), Revisions.EarlierOfRedis(Node(rotating)));
    }

    [Fact]
    public void DuringAGracePeriodTheApplicationUserHasBothPasswordsHashedAndNeitherInClear()
    {
        var rotating = WithUsers with { Application = "applicationPassword2", Retiring = new RetiringPassword("applicationPassword1", DateTimeOffset.UnixEpoch) };

        var redis = RedisConfigRenderer.RenderRedis(Node(rotating));
        var sentinel = RedisConfigRenderer.RenderSentinel(Sentinel(rotating));

        foreach (var text in new[] { redis, sentinel })
        {
            var user = Assert.Single(All(text, "user"), line => line[1] == "default");
            Assert.Contains("#" + PasswordHash.Of("applicationPassword2"), user);
            Assert.Contains("#" + PasswordHash.Of("applicationPassword1"), user);
            Assert.DoesNotContain("applicationPassword", text, StringComparison.Ordinal);
        }
    }
}
