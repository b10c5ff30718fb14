using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StackExchange.Redis;

namespace Redoubt.Client.Tests.Settings;

/// <summary>The tuned StackExchange.Redis settings, each against the library default it changes.</summary>
public sealed class SentinelClientSettingsTests
{
    private static readonly string[] Sentinels = ["127.10.0.1:26379", "127.10.0.2:26379", "127.10.0.3:26379"];

    [Fact]
    public void EveryTunedSettingDiffersFromTheLibraryDefault()
    {
        var plain = new ConfigurationOptions();
        var tuned = SentinelClientSettings.Create(Sentinels, "mymaster", "pw");

        Assert.Equal((true, false), (plain.AbortOnConnectFail, tuned.AbortOnConnectFail));
        Assert.Equal(500, tuned.ConnectTimeout);
        Assert.NotEqual(plain.ConnectTimeout, tuned.ConnectTimeout);
        Assert.Equal((1000, 1000), (tuned.SyncTimeout, tuned.AsyncTimeout));
        Assert.NotEqual(plain.SyncTimeout, tuned.SyncTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), tuned.HeartbeatInterval);
        Assert.NotEqual(plain.HeartbeatInterval, tuned.HeartbeatInterval);
        Assert.Equal(1, tuned.KeepAlive);
        Assert.Equal(2, tuned.ConfigCheckSeconds);
        Assert.Same(BacklogPolicy.FailFast, tuned.BacklogPolicy);
        Assert.Equal("", tuned.TieBreaker);
        Assert.False(tuned.Ssl);
    }

    [Fact]
    public void TheSentinelsMasterNameAndPasswordAreKept()
    {
        var tuned = SentinelClientSettings.Create(Sentinels, "orders", "pw");

        Assert.Equal(Sentinels, tuned.EndPoints.Select(e => e.ToString()));
        Assert.Equal(("orders", "pw"), (tuned.ServiceName, tuned.Password));
    }

    [Fact]
    public void TheReconnectPolicyRetriesEveryHeartbeat()
    {
        var tuned = SentinelClientSettings.Create(Sentinels, "mymaster", null, new RedoubtConnectionOptions { Heartbeat = TimeSpan.FromMilliseconds(250) });

        Assert.True(tuned.ReconnectRetryPolicy!.ShouldRetry(currentRetryCount: 5, timeElapsedMillisecondsSinceLastRetry: 250));
        Assert.False(tuned.ReconnectRetryPolicy.ShouldRetry(currentRetryCount: 5, timeElapsedMillisecondsSinceLastRetry: 200));
    }

    [Fact]
    public void QueueingWhileDisconnectedGivesBackTheLibraryBacklog()
    {
        var tuned = SentinelClientSettings.Create(Sentinels, "mymaster", null, new RedoubtConnectionOptions { QueueWhileDisconnected = true });

        Assert.Same(BacklogPolicy.Default, tuned.BacklogPolicy);
    }

    [Fact]
    public void ACertificateAuthorityTurnsTlsOn()
    {
        var folder = Directory.CreateTempSubdirectory("redoubt-client-tests-").FullName;
        try
        {
            using var key = ECDsa.Create();
            using var authority = new CertificateRequest("CN=test resource CA", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
            var file = Path.Combine(folder, "ca.crt");
            File.WriteAllText(file, authority.ExportCertificatePem());

            var tuned = SentinelClientSettings.Create(Sentinels, "mymaster", null, new RedoubtConnectionOptions { CertificateAuthorityFile = file });

            Assert.True(tuned.Ssl);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void NoSentinelIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => SentinelClientSettings.Create([], "mymaster", null));

        Assert.Contains("at least one Sentinel address", error.Message, StringComparison.Ordinal);
    }
}
