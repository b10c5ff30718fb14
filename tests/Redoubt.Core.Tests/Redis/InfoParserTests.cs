using Redoubt.Core.Redis;

namespace Redoubt.Core.Tests.Redis;

public sealed class InfoParserTests
{
    // As a replica of an IPv6 master answers INFO: CRLF line ends, section headers, blank lines between sections.
    private const string ReplicaInfo =
        "# Server\r\n" +
        "redis_version:7.2.4\r\n" +
        "executable:/usr/bin/redis-server\r\n" +
        "\r\n" +
        "# Replication\r\n" +
        "role:slave\r\n" +
        "master_host:::1\r\n" +
        "master_port:7000\r\n" +
        "master_link_status:up\r\n" +
        "master_sync_in_progress:0\r\n" +
        "master_replid:8b0f7c3d1e2a4f5b6c7d8e9f0a1b2c3d4e5f6a7b\r\n" +
        "master_repl_offset:123456\r\n" +
        "\r\n" +
        "# Persistence\r\n" +
        "loading:0\r\n" +
        "\r\n" +
        "# Keyspace\r\n" +
        "db0:keys=42,expires=3,avg_ttl=0,subexpiry=0\r\n";

    [Fact]
    public void InfoIsReadAsKeysAndValuesWithoutHeadersOrLineEnds()
    {
        var info = InfoParser.Parse(ReplicaInfo);

        Assert.Equal(
            [
                "db0", "executable", "loading", "master_host", "master_link_status", "master_port", "master_repl_offset",
                "master_replid", "master_sync_in_progress", "redis_version", "role",
            ],
            info.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("slave", info["role"]);
        Assert.Equal("up", info["master_link_status"]);
        Assert.Equal("7.2.4", info["redis_version"]);
    }

    [Fact]
    public void AValueKeepsEveryColonAfterTheFirst()
    {
        var info = InfoParser.Parse(ReplicaInfo);

        Assert.Equal("::1", info["master_host"]);
        Assert.Equal("/usr/bin/redis-server", info["executable"]);
    }

    [Fact]
    public void LinesWithoutAKeyAreIgnored()
    {
        var info = InfoParser.Parse("no colon here\n:leading colon\n#role:master\nrole:master\nempty:\n");

        Assert.Equal(2, info.Count);
        Assert.Equal("master", info["role"]);
        Assert.Equal("", info["empty"]);
    }

    [Fact]
    public void NothingToParseGivesNothing()
    {
        Assert.Empty(InfoParser.Parse(""));
        Assert.Empty(InfoParser.Parse("\r\n\r\n# Replication\r\n"));
    }

    [Fact]
    public void NumbersAreReadWithAFallback()
    {
        var info = InfoParser.Parse(ReplicaInfo);

        Assert.Equal(123456L, info.Number("master_repl_offset"));
        Assert.Equal(7000L, info.Number("master_port"));
        Assert.Equal(0L, info.Number("absent"));
        Assert.Equal(-1L, info.Number("absent", fallback: -1));
        Assert.Equal(-1L, info.Number("role", fallback: -1));
        Assert.Equal(0L, info.Number("loading", fallback: -1));
    }

    [Fact]
    public void TextIsNullWhenTheKeyIsAbsent()
    {
        var info = InfoParser.Parse(ReplicaInfo);

        Assert.Equal("8b0f7c3d1e2a4f5b6c7d8e9f0a1b2c3d4e5f6a7b", info.Text("master_replid"));
        Assert.Null(info.Text("master_failover_state"));
    }

    [Fact]
    public void AReplicaLineOnTheMasterSplitsIntoFields()
    {
        var master = InfoParser.Parse("role:master\r\nconnected_slaves:1\r\nslave0:ip=::1,port=7001,state=online,offset=42,lag=0\r\n");

        var fields = InfoParser.ParseFields(master["slave0"]);

        Assert.Equal("::1", fields.Text("ip"));
        Assert.Equal(7001L, fields.Number("port"));
        Assert.Equal("online", fields.Text("state"));
        Assert.Equal(42L, fields.Number("offset"));
        Assert.Equal(0L, fields.Number("lag", fallback: -1));
        Assert.Equal(5, fields.Count);
    }

    [Fact]
    public void AKeyspaceLineSplitsIntoFields()
    {
        var fields = InfoParser.ParseFields(InfoParser.Parse(ReplicaInfo)["db0"]);

        Assert.Equal(42L, fields.Number("keys"));
        Assert.Equal(3L, fields.Number("expires"));
    }

    [Fact]
    public void FieldsWithoutANameAreIgnored()
    {
        var fields = InfoParser.ParseFields("=x,novalue,a=1=2,,b=");

        Assert.Equal(2, fields.Count);
        Assert.Equal("1=2", fields["a"]);
        Assert.Equal("", fields["b"]);
    }
}
