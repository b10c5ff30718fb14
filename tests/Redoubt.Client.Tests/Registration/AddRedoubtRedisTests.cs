using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Redoubt.Client.Tests.Registration;

/// <summary>What AddRedoubtRedis binds from configuration, and how it says what is wrong before any connection.</summary>
public sealed class AddRedoubtRedisTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("redoubt-client-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IConfigurationSection Section(Dictionary<string, string?> values, string path = "Redis") =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(path);

    private static RedoubtRedisOptions Bound(IConfigurationSection section)
    {
        using var provider = new ServiceCollection().AddRedoubtRedis(section).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RedoubtRedisOptions>>().Value;
    }

    private static OptionsValidationException Rejected(IConfigurationSection section)
    {
        using var provider = new ServiceCollection().AddRedoubtRedis(section).BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>());
    }

    [Fact]
    public void ASectionGivesTheSentinelsMasterNameAndFiles()
    {
        var authority = Path.Combine(_folder, "ca.crt");
        File.WriteAllText(authority, "not read by the binding");
        var options = Bound(Section(new()
        {
            ["Redis:Sentinels:0"] = "127.10.0.1:26379",
            ["Redis:Sentinels:1"] = "127.10.0.2:26379",
            ["Redis:Sentinels:2"] = "127.10.0.3:26379",
            ["Redis:MasterName"] = "orders",
            ["Redis:Password"] = "from-configuration",
            ["Redis:CertificateAuthorityFile"] = authority,
        }));

        Assert.Equal(["127.10.0.1:26379", "127.10.0.2:26379", "127.10.0.3:26379"], options.Sentinels);
        Assert.Equal("orders", options.MasterName);
        Assert.Equal("from-configuration", options.Password);
        Assert.Equal(authority, options.CertificateAuthorityFile);
    }

    [Fact]
    public void TheMasterNameIsRedoubtsWhenTheSectionLeavesItOut()
    {
        var options = Bound(Section(new() { ["Redis:Sentinels:0"] = "127.10.0.1:26379" }));

        Assert.Equal("mymaster", options.MasterName);
        Assert.Null(options.Password);
        Assert.Null(options.PasswordFile);
    }

    [Fact]
    public void TuningIsBoundFromItsOwnSubsection()
    {
        var options = Bound(Section(new()
        {
            ["Redis:Sentinels:0"] = "127.10.0.1:26379",
            ["Redis:Tuning:CommandTimeout"] = "00:00:02.500",
            ["Redis:Tuning:QueueWhileDisconnected"] = "true",
        }));

        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.Tuning.CommandTimeout);
        Assert.True(options.Tuning.QueueWhileDisconnected);
        Assert.Equal(new RedoubtConnectionOptions().Heartbeat, options.Tuning.Heartbeat);
    }

    [Theory]
    [InlineData("Redis:MasterName", "orders", "Redis:Sentinels is empty")]
    [InlineData("Redis:Sentinels:0", "127.10.0.1", "Redis:Sentinels:0 is '127.10.0.1': expected host:port")]
    [InlineData("Redis:Sentinels:0", "127.10.0.1:263790", "Redis:Sentinels:0 is '127.10.0.1:263790': expected host:port")]
    [InlineData("Redis:Sentinels:0", ":26379", "Redis:Sentinels:0 is ':26379': expected host:port")]
    public void AWrongSentinelListIsNamedByItsKey(string key, string value, string expected)
    {
        var error = Rejected(Section(new() { [key] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryWrongSettingIsNamedAtOnce()
    {
        var error = Rejected(Section(new()
        {
            ["Redis:Sentinels:0"] = "127.10.0.1:26379",
            ["Redis:Sentinels:1"] = "sentinel-b",
            ["Redis:MasterName"] = " ",
            ["Redis:Password"] = "p",
            ["Redis:PasswordFile"] = Path.Combine(_folder, "missing-password"),
            ["Redis:CertificateAuthorityFile"] = Path.Combine(_folder, "missing-ca.crt"),
        }));

        Assert.Equal(
            [
                "Redis:Sentinels:1 is 'sentinel-b': expected host:port, e.g. 127.10.0.1:26379",
                "Redis:MasterName is empty: set the name the Sentinels know the master by (mymaster for Redoubt)",
                "Redis:Password and Redis:PasswordFile are both set: set one of them",
                $"Redis:PasswordFile is '{Path.Combine(_folder, "missing-password")}', which does not exist",
                $"Redis:CertificateAuthorityFile is '{Path.Combine(_folder, "missing-ca.crt")}', which does not exist",
            ],
            error.Failures);
    }

    [Fact]
    public void ANestedSectionIsNamedByItsWholePath()
    {
        var error = Rejected(Section(new() { ["Services:Cache:MasterName"] = "orders" }, "Services:Cache"));

        Assert.Contains("Services:Cache:Sentinels is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsFromCodeAreNamedByTheirProperty()
    {
        using var provider = new ServiceCollection().AddRedoubtRedis(o => o.Sentinels.Add("no-port")).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<RedoubtConnection>());

        Assert.Equal(["RedoubtRedisOptions.Sentinels:0 is 'no-port': expected host:port, e.g. 127.10.0.1:26379"], error.Failures);
    }

    [Fact]
    public void AWrongPasswordIsNeverInTheError()
    {
        var error = Rejected(Section(new() { ["Redis:Password"] = "s3cret-value", ["Redis:PasswordFile"] = "/nonexistent/password" }));

        Assert.DoesNotContain("s3cret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APasswordFileLosesOnlyItsTrailingNewline()
    {
        var file = Path.Combine(_folder, "password");
        File.WriteAllText(file, " two words \n");

        Assert.Equal(" two words ", RedoubtRedisConnector.ReadPassword(file));
    }

    [Fact]
    public void TheMultiplexerAndTheConnectionAreRegisteredAsSingletons()
    {
        var services = new ServiceCollection().AddRedoubtRedis(o => o.Sentinels.Add("127.10.0.1:26379"));

        Assert.Equal(ServiceLifetime.Singleton, services.Single(d => d.ServiceType == typeof(StackExchange.Redis.IConnectionMultiplexer)).Lifetime);
        Assert.Equal(ServiceLifetime.Singleton, services.Single(d => d.ServiceType == typeof(RedoubtConnection)).Lifetime);
    }

    [Fact]
    public void AddingItTwiceRegistersOneConnection()
    {
        var services = new ServiceCollection()
            .AddRedoubtRedis(o => o.Sentinels.Add("127.10.0.1:26379"))
            .AddRedoubtRedis(o => o.MasterName = "orders");

        Assert.Single(services, d => d.ServiceType == typeof(StackExchange.Redis.IConnectionMultiplexer));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<RedoubtRedisOptions>));
    }
}
