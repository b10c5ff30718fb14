using Redoubt.Core.Access;
using Redoubt.Core.Planning;
using Redoubt.Core.Tests.Fixtures;
using static Redoubt.Core.Tests.Fixtures.RedisConfigText;

namespace Redoubt.Core.Tests.Planning;

public sealed class RedisConfigRendererTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);

    private static RedisNodeConfig Node(ResourcePlan? plan = null, string? password = "s3cret") => new()
    {
        Plan = plan ?? Plan,
        Node = (plan ?? Plan).RedisNodes[1],
        Bind = ["127.0.1.2"],
        Port = 7001,
        DataDirectory = "/home/r/.local/share/redoubt/default/t/redis-1",
        LogFile = "/home/r/.local/share/redoubt/default/t/redis-1/redis.log",
        Secrets = new ResourceSecrets(password, null),
        ParkHost = "127.0.1.2",
        ParkPort = 7001,
    };

    private static SentinelNodeConfig Sentinel(ResourcePlan? plan = null, string? password = "s3cret") => new()
    {
        Plan = plan ?? Plan,
        Node = (plan ?? Plan).Sentinels[2],
        Bind = ["127.0.1.3"],
        Port = 26002,
        AnnounceHost = "127.0.1.3",
        Directory = "/home/r/.local/share/redoubt/default/t/sentinel-2",
        LogFile = "/home/r/.local/share/redoubt/default/t/sentinel-2/sentinel.log",
        Secrets = new ResourceSecrets(password, null),
        Master = ("127.0.1.1", 7000),
        MyId = "1096682ec0a4aabe6f5aa34970eb7caada5afc1c",
    };

    [Fact]
    public void TheDefaultRedisConfigIsExactlyThis()
    {
        var text = RedisConfigRenderer.RenderRedis(Node());

        Assert.Equal(
            """
            # Rendered by Redoubt for default/t redis-1 (zone lucerne). Redoubt rewrites this file; edit the resource instead.
            bind 127.0.1.2
            port 7001
            protected-mode no
            daemonize no
            dir /home/r/.local/share/redoubt/default/t/redis-1
            logfile /home/r/.local/share/redoubt/default/t/redis-1/redis.log
            dbfilename dump.rdb
            appendfilename appendonly.aof
            appendfsync everysec
            replica-read-only yes
            replica-serve-stale-data yes
            repl-diskless-sync yes
            repl-diskless-sync-delay 0
            repl-backlog-size 16mb
            tcp-keepalive 30
            latency-tracking yes
            maxmemory 107374182
            maxmemory-policy noeviction
            appendonly no
            save "3600 1 300 100 60 10000"
            min-replicas-to-write 0
            min-replicas-max-lag 10
            requirepass s3cret
            masterauth s3cret
            # Boots as a replica of itself: never a master until Redoubt (through Sentinel) says so.
            replicaof 127.0.1.2 7001

            """,
            text);
    }

    [Fact]
    public void TheSaveScheduleReachesRedisAsOneArgument()
    {
        var text = RedisConfigRenderer.RenderRedis(Node());

        Assert.Equal(["save", "3600 1 300 100 60 10000"], Assert.Single(All(text, "save")));
    }

    [Fact]
    public void APureCacheRendersAnEmptySaveSchedule()
    {
        var text = RedisConfigRenderer.RenderRedis(Node(TestPlans.Of(replicas: 3, s => s.Size = "")));

        Assert.Contains("\nsave \"\"\n", text, StringComparison.Ordinal);
        Assert.Equal(["save", ""], Assert.Single(All(text, "save")));
        Assert.Equal(["appendonly", "no"], Assert.Single(All(text, "appendonly")));
    }

    [Fact]
    public void APasswordGoesToRequirepassAndMasterauth()
    {
        var text = RedisConfigRenderer.RenderRedis(Node(password: "s3cret"));

        Assert.Equal(["requirepass", "s3cret"], Assert.Single(All(text, "requirepass")));
        Assert.Equal(["masterauth", "s3cret"], Assert.Single(All(text, "masterauth")));
    }

    [Fact]
    public void WithAuthOffNoPasswordLineIsRendered()
    {
        var text = RedisConfigRenderer.RenderRedis(Node(TestPlans.Of(replicas: 3, s => s.AuthEnabled = false), password: null));

        Assert.Empty(All(text, "requirepass"));
        Assert.Empty(All(text, "masterauth"));
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheNodeBootsAsAReplicaOfItsParkAddressAsTheLastDirective()
    {
        var text = RedisConfigRenderer.RenderRedis(Node());

        Assert.Equal(["replicaof", "127.0.1.2", "7001"], Directives(text)[^1]);
        Assert.Single(All(text, "replicaof"));
    }

    [Fact]
    public void AnIpv6ParkAddressIsRenderedAsAPlainHost()
    {
        var text = RedisConfigRenderer.RenderRedis(Node() with { Bind = ["::1"], ParkHost = "::1" });

        Assert.Equal(["replicaof", "::1", "7001"], Assert.Single(All(text, "replicaof")));
        Assert.Equal(["bind", "::1"], Assert.Single(All(text, "bind")));
    }

    [Theory]
    [InlineData(null, 7001)]
    [InlineData("127.0.1.2", null)]
    [InlineData(null, null)]
    public void WithoutACompleteParkAddressNoReplicaofIsRendered(string? host, int? port)
    {
        var text = RedisConfigRenderer.RenderRedis(Node() with { ParkHost = host, ParkPort = port });

        Assert.Empty(All(text, "replicaof"));
    }

    [Fact]
    public void EveryBindAddressAndIncludeIsRendered()
    {
        var text = RedisConfigRenderer.RenderRedis(Node() with
        {
            Bind = ["0.0.0.0", "::"],
            AnnounceHost = "10.0.0.7",
            LogFile = null,
            Secrets = null,
            Includes = ["/etc/redis/auth.conf"],
        });

        Assert.Equal(["bind", "0.0.0.0", "::"], Assert.Single(All(text, "bind")));
        Assert.Equal(["replica-announce-ip", "10.0.0.7"], Assert.Single(All(text, "replica-announce-ip")));
        Assert.Equal(["logfile", ""], Assert.Single(All(text, "logfile")));
        Assert.Equal(["include", "/etc/redis/auth.conf"], Assert.Single(All(text, "include")));
    }

    [Theory]
    [InlineData(true, false, "no")]
    [InlineData(true, true, "no")]
    [InlineData(false, false, "no")]
    [InlineData(false, true, "yes")]
    public void ProtectedModeIsOnOnlyForAnExternalResourceWithoutAuth(bool auth, bool external, string expected)
    {
        var plan = TestPlans.Of(replicas: 3, s =>
        {
            s.AuthEnabled = auth;
            s.External = external;
        });

        var text = RedisConfigRenderer.RenderRedis(Node(plan, auth ? "s3cret" : null));

        Assert.Equal(["protected-mode", expected], Assert.Single(All(text, "protected-mode")));
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("quote\"inside")]
    [InlineData("back\\slash")]
    [InlineData("back\\\"slash-quote")]
    [InlineData("it's")]
    [InlineData("'single'")]
    [InlineData("#not-a-comment")]
    [InlineData("tab\there")]
    [InlineData("\\x41")]
    [InlineData("x\" masterauth \"y")]
    [InlineData("é-ü")]
    public void APasswordWithSpacesOrQuotesStaysOneArgument(string password)
    {
        var text = RedisConfigRenderer.RenderRedis(Node(password: password));

        Assert.Equal(["requirepass", password], Assert.Single(All(text, "requirepass")));
        Assert.Equal(["masterauth", password], Assert.Single(All(text, "masterauth")));
        Assert.Equal(Directives(RedisConfigRenderer.RenderRedis(Node())).Count, Directives(text).Count);
    }

    [Theory]
    [InlineData("a\nmaxmemory 1")]
    [InlineData("a\r\nb")]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    [InlineData("\n")]
    public void APasswordThatCouldEndTheLineIsRefused(string password)
    {
        var error = Assert.Throws<ArgumentException>(() => RedisConfigRenderer.RenderRedis(Node(password: password)));

        Assert.DoesNotContain(password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADirectoryThatCouldEndTheLineIsRefused()
    {
        Assert.Throws<ArgumentException>(() => RedisConfigRenderer.RenderRedis(Node() with { DataDirectory = "/data\nslaveof 10.9.9.9 6379" }));
        Assert.Throws<ArgumentException>(() => RedisConfigRenderer.RenderSentinel(Sentinel() with { Directory = "/data\rsentinel monitor x 1 2 3" }));
    }

    [Fact]
    public void TheDefaultSentinelConfigIsExactlyThis()
    {
        var text = RedisConfigRenderer.RenderSentinel(Sentinel());

        Assert.Equal(
            """
            # Rendered by Redoubt for default/t sentinel-2 (zone geneve). Sentinel rewrites this file at run time.
            bind 127.0.1.3
            port 26002
            daemonize no
            dir /home/r/.local/share/redoubt/default/t/sentinel-2
            logfile /home/r/.local/share/redoubt/default/t/sentinel-2/sentinel.log
            sentinel myid 1096682ec0a4aabe6f5aa34970eb7caada5afc1c
            sentinel deny-scripts-reconfig yes
            sentinel resolve-hostnames no
            sentinel announce-ip 127.0.1.3
            sentinel announce-port 26002
            requirepass s3cret
            sentinel monitor mymaster 127.0.1.1 7000 2
            sentinel auth-pass mymaster s3cret
            sentinel down-after-milliseconds mymaster 1000
            sentinel failover-timeout mymaster 3000
            sentinel parallel-syncs mymaster 1

            """,
            text);
    }

    [Fact]
    public void WithoutAKnownMasterTheSentinelMonitorsNothingYet()
    {
        var text = RedisConfigRenderer.RenderSentinel(Sentinel() with { Master = null });

        var sentinel = All(text, "sentinel").Select(d => d[1]);
        Assert.Equal(["myid", "deny-scripts-reconfig", "resolve-hostnames", "announce-ip", "announce-port"], sentinel);
        Assert.Equal(["requirepass", "s3cret"], Assert.Single(All(text, "requirepass")));
    }

    [Fact]
    public void WithAuthOffTheSentinelHasNoPasswordLines()
    {
        var text = RedisConfigRenderer.RenderSentinel(Sentinel(TestPlans.Of(replicas: 3, s => s.AuthEnabled = false), password: null));

        Assert.Empty(All(text, "requirepass"));
        Assert.DoesNotContain(All(text, "sentinel"), d => d[1] == "auth-pass");
        Assert.Equal(["sentinel", "monitor", "mymaster", "127.0.1.1", "7000", "2"], Assert.Single(All(text, "sentinel"), d => d[1] == "monitor"));
    }

    [Fact]
    public void WithoutAnAnnounceHostTheSentinelAnnouncesNothing()
    {
        var text = RedisConfigRenderer.RenderSentinel(Sentinel() with { AnnounceHost = null });

        Assert.DoesNotContain(All(text, "sentinel"), d => d[1].StartsWith("announce", StringComparison.Ordinal));
    }

    [Fact]
    public void TheMonitorLineCarriesTheSpecsQuorumAndTimers()
    {
        var plan = TestPlans.Of(replicas: 3, s => s.Sentinel = new Model.SentinelSpec { Replicas = 5, Quorum = 4, DownAfterMilliseconds = 5000, FailoverTimeout = 20000 });

        var text = RedisConfigRenderer.RenderSentinel(Sentinel(plan) with { Master = ("::1", 7000) });

        var perMaster = All(text, "sentinel").Where(d => d.Count > 2 && d[2] == "mymaster").Select(d => string.Join(' ', d));
        Assert.Equal(
            [
                "sentinel monitor mymaster ::1 7000 4",
                "sentinel auth-pass mymaster s3cret",
                "sentinel down-after-milliseconds mymaster 5000",
                "sentinel failover-timeout mymaster 20000",
                "sentinel parallel-syncs mymaster 1",
            ],
            perMaster);
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("q\"uote")]
    [InlineData("sl\\ash")]
    public void ASentinelPasswordWithSpacesOrQuotesStaysOneArgument(string password)
    {
        var text = RedisConfigRenderer.RenderSentinel(Sentinel(password: password));

        Assert.Equal(["requirepass", password], Assert.Single(All(text, "requirepass")));
        Assert.Equal(["sentinel", "auth-pass", "mymaster", password], Assert.Single(All(text, "sentinel"), d => d[1] == "auth-pass"));
    }

    [Fact]
    public void ASentinelPasswordThatCouldEndTheLineIsRefused()
    {
        Assert.Throws<ArgumentException>(() => RedisConfigRenderer.RenderSentinel(Sentinel(password: "p\nsentinel monitor evil 10.9.9.9 6379 1")));
    }

    [Fact]
    public void SentinelIdsDoNotChangeAcrossReleases()
    {
        // A restarted Sentinel must present the id its peers already know, whatever version rendered it.
        Assert.Equal("1096682ec0a4aabe6f5aa34970eb7caada5afc1c", RedisConfigRenderer.SentinelId("default/example", "0b7e4c2a-5f1d-4e8a-9c3b-2d6f8a1e7b90", "sentinel-0"));
    }

    [Fact]
    public void ASentinelIdIsFortyHexDigitsAndStableForTheSameInput()
    {
        var id = RedisConfigRenderer.SentinelId("shop/cache", "uid-1", "sentinel-1");

        Assert.Matches("^[0-9a-f]{40}$", id);
        Assert.Equal(id, RedisConfigRenderer.SentinelId("shop/cache", "uid-1", "sentinel-1"));
    }

    [Theory]
    [InlineData("shop/other", "uid-1", "sentinel-1")]
    [InlineData("other/cache", "uid-1", "sentinel-1")]
    [InlineData("shop/cache", "uid-2", "sentinel-1")]
    [InlineData("shop/cache", "uid-1", "sentinel-0")]
    public void SentinelIdsDifferAcrossResourcesAndSentinels(string key, string uid, string sentinel)
    {
        Assert.NotEqual(RedisConfigRenderer.SentinelId("shop/cache", "uid-1", "sentinel-1"), RedisConfigRenderer.SentinelId(key, uid, sentinel));
    }
}
