using Redoubt.Core.Planning;
using Redoubt.Core.Tests.Fixtures;

namespace Redoubt.Core.Tests.Planning;

/// <summary>Quoting decides whether a value stays one argument; these rows are what Redis itself would read back.</summary>
public sealed class ConfigWriterTests
{
    [Theory]
    [InlineData("yes")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("/var/lib/redoubt/default/t/redis-0")]
    [InlineData("allkeys-lru")]
    [InlineData("16mb")]
    [InlineData("a=b,c@d+e*f_g")]
    public void PlainTokensAreWrittenAsTheyAre(string value)
    {
        Assert.Equal(value, ConfigWriter.Quote(value));
    }

    [Theory]
    [InlineData("", "\"\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("#x", "\"#x\"")]
    [InlineData("$HOME", "\"$HOME\"")]
    [InlineData("tab\tx", "\"tab\tx\"")]
    public void AnythingElseIsDoubleQuotedWithBackslashesAndQuotesEscaped(string value, string quoted)
    {
        Assert.Equal(quoted, ConfigWriter.Quote(value));
        Assert.Equal(["k", value], RedisConfigText.Arguments("k " + quoted));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    [InlineData("tail\r\n")]
    public void ALineBreakOrNulIsRefused(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => ConfigWriter.Quote(value));

        Assert.Equal("value", error.ParamName);
    }

    [Fact]
    public void ALineJoinsItsArgumentsWithSpacesInTheInvariantCulture()
    {
        var text = new ConfigWriter().Line("sentinel", "monitor", "mymaster", "::1", 6379, 2).Line("maxmemory", 1_073_741_824L).ToString();

        Assert.Equal("sentinel monitor mymaster ::1 6379 2\nmaxmemory 1073741824\n", text);
    }

    [Fact]
    public void ACommentCannotBreakOutOfItsLine()
    {
        var text = new ConfigWriter().Comment("first\nrequirepass x\r\nsecond").Line("port", 1).ToString();

        Assert.Equal("# first requirepass x second\nport 1\n", text);
        Assert.Equal([["port", "1"]], RedisConfigText.Directives(text));
    }
}
