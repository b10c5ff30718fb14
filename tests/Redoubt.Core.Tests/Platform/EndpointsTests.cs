using Redoubt.Core.Platform;

namespace Redoubt.Core.Tests.Platform;

public sealed class EndpointsTests
{
    [Theory]
    [InlineData("127.0.0.1", 6379, "127.0.0.1:6379")]
    [InlineData("::1", 6379, "[::1]:6379")]
    [InlineData("fe80::1:2", 26379, "[fe80::1:2]:26379")]
    [InlineData("rfr-redis-example-0.rfr-redis-example", 6379, "rfr-redis-example-0.rfr-redis-example:6379")]
    [InlineData("localhost", 0, "localhost:0")]
    public void AnAddressIsHostColonPortWithIpv6InBrackets(string host, int port, string address)
    {
        Assert.Equal(address, Endpoints.Format(host, port));
    }

    [Theory]
    [InlineData("127.0.0.1", 6379)]
    [InlineData("::1", 7000)]
    [InlineData("2001:db8::10", 26379)]
    [InlineData("redis-0.local", 65535)]
    public void ParsingAFormattedAddressGivesBackTheHostAndPort(string host, int port)
    {
        Assert.Equal((host, port), Endpoints.Parse(Endpoints.Format(host, port)));
    }

    [Theory]
    [InlineData("[::1]:6379", "::1", 6379)]
    [InlineData("10.0.0.7:26379", "10.0.0.7", 26379)]
    public void AnAddressSplitsAtItsLastColon(string address, string host, int port)
    {
        Assert.Equal((host, port), Endpoints.Parse(address));
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData(":6379")]
    [InlineData("localhost:")]
    [InlineData("localhost:port")]
    [InlineData("localhost:-1")]
    [InlineData("localhost:+6379")]
    [InlineData("localhost: 6379")]
    [InlineData("localhost:6379 ")]
    [InlineData("localhost:63 79")]
    [InlineData("[::1]")]
    [InlineData("localhost:99999999999")]
    public void AnythingButHostColonPortIsRefused(string address)
    {
        var error = Assert.Throws<FormatException>(() => Endpoints.Parse(address));

        Assert.Equal($"not a host:port address: '{address}'", error.Message);
    }

    [Theory]
    [InlineData("localhost:65536")]
    [InlineData("localhost:99999")]
    [InlineData("::1")]
    [InlineData("a:b:1")]
    public void APortOutsideTheTcpRangeIsRefused(string address)
    {
        Assert.Throws<FormatException>(() => Endpoints.Parse(address));
    }
}
