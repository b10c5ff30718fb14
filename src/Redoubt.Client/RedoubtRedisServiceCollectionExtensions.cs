using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Redoubt.Client;
using StackExchange.Redis;

// The namespace of IServiceCollection, as the .NET libraries do, so AddRedoubtRedis is found without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a Redoubt connection: <see cref="IConnectionMultiplexer"/> and <see cref="RedoubtConnection"/>, one of each.</summary>
public static class RedoubtRedisServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RedoubtRedisOptions"/> from <paramref name="section"/> (e.g. <c>configuration.GetSection("Redis")</c>
    /// with <c>Sentinels</c>, <c>MasterName</c>, <c>Password</c> or <c>PasswordFile</c>, <c>CertificateAuthorityFile</c>)
    /// and registers the connection. A wrong setting fails the first resolution (or the host's start) naming its key.
    /// </summary>
    public static IServiceCollection AddRedoubtRedis(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var path = (section as IConfigurationSection)?.Path;
        return services.AddRedoubtRedis(path, builder => builder.Bind(section));
    }

    /// <summary>Registers the connection with options set in code.</summary>
    public static IServiceCollection AddRedoubtRedis(this IServiceCollection services, Action<RedoubtRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddRedoubtRedis(null, builder => builder.Configure(configure));
    }

    private static IServiceCollection AddRedoubtRedis(this IServiceCollection services, string? sectionPath, Action<OptionsBuilder<RedoubtRedisOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RedoubtRedisOptions>();
        configure(options);
        // With a host, a wrong setting stops the start instead of the first request that needs Redis.
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedoubtRedisOptions>>(new RedoubtRedisOptionsValidator(sectionPath)));
        services.TryAddSingleton(provider => RedoubtRedisConnector.Connect(provider.GetRequiredService<IOptions<RedoubtRedisOptions>>()));
        services.TryAddSingleton(provider => provider.GetRequiredService<RedoubtConnection>().Multiplexer);
        return services;
    }
}
