using Redoubt.Client;
using Redoubt.Core.ControlPlane;
using StackExchange.Redis;

namespace Redoubt.Integration.Tests.Connecting;

/// <summary>
/// The connection string `up` and `credentials` print is what most applications paste: parsed by StackExchange.Redis,
/// it must give every setting of Redoubt.Client's tuned settings that a string can express, so a pasted string takes
/// the fast path too.
/// </summary>
public sealed class ConnectionStringTests
{
    private static readonly Credentials Example = new(
        "default", "example", "mymaster", ["127.10.0.1:26379", "127.10.0.2:26379", "127.10.0.3:26379"], "127.10.0.1:6379", AuthEnabled: true, Password: "secret-password");

    [Fact]
    public void APastedStringCarriesEveryTunedSettingAStringCanExpress()
    {
        var pasted = ConfigurationOptions.Parse(Example.StackExchangeConnectionString(includePassword: true));
        var tuned = SentinelClientSettings.Create(Example.Sentinels, Example.MasterName, Example.Password);

        Assert.Equal(
            (tuned.AbortOnConnectFail, tuned.ConnectTimeout, tuned.SyncTimeout, tuned.AsyncTimeout, tuned.KeepAlive, tuned.ConfigCheckSeconds, tuned.TieBreaker),
            (pasted.AbortOnConnectFail, pasted.ConnectTimeout, pasted.SyncTimeout, pasted.AsyncTimeout, pasted.KeepAlive, pasted.ConfigCheckSeconds, pasted.TieBreaker));
        Assert.Equal(tuned.ServiceName, pasted.ServiceName);
        Assert.Equal(tuned.Password, pasted.Password);
        Assert.Equal(tuned.EndPoints.Select(e => e.ToString()), pasted.EndPoints.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData(true, null, "secret-password", "redis://:<password>@127.10.255.1:6379", "redis://:secret-password@127.10.255.1:6379")]
    [InlineData(true, "/home/u/ca.crt", "p@ss:w/rd", "rediss://:<password>@127.10.255.1:6379", "rediss://:p%40ss%3Aw%2Frd@127.10.255.1:6379")]
    [InlineData(false, null, null, "redis://127.10.255.1:6379", "redis://127.10.255.1:6379")]
    public void TheEndpointUrlNamesTheSchemeAndHidesThePasswordUnlessAsked(bool auth, string? authority, string? password, string shown, string full)
    {
        var credentials = Example with { AuthEnabled = auth, Password = password, CertificateAuthorityFile = authority, Endpoint = "127.10.255.1:6379" };

        Assert.Equal(shown, credentials.EndpointUrl(includePassword: false));
        // The password is escaped: a URL parser reads it back whole, whatever it holds.
        Assert.Equal(full, credentials.EndpointUrl(includePassword: true));
        Assert.Equal(password is null || !auth ? "" : password, Uri.UnescapeDataString(new Uri(full).UserInfo.TrimStart(':')));
    }

    [Fact]
    public void WithoutAnEndpointThereIsNoUrl() => Assert.Null(Example.EndpointUrl(includePassword: true));

    [Fact]
    public void TheLibraryDefaultsAreWhatTheStringChanges()
    {
        // Each setting the string carries must differ from what StackExchange.Redis does unasked, or it says nothing.
        var plain = ConfigurationOptions.Parse(string.Join(',', Example.Sentinels) + ",serviceName=mymaster");
        var pasted = ConfigurationOptions.Parse(Example.StackExchangeConnectionString(includePassword: false));

        Assert.NotEqual(plain.ConnectTimeout, pasted.ConnectTimeout);
        Assert.NotEqual(plain.SyncTimeout, pasted.SyncTimeout);
        Assert.NotEqual(plain.KeepAlive, pasted.KeepAlive);
        Assert.NotEqual(plain.ConfigCheckSeconds, pasted.ConfigCheckSeconds);
        Assert.NotEqual(plain.TieBreaker, pasted.TieBreaker);
        Assert.Null(pasted.Password);
    }
}
