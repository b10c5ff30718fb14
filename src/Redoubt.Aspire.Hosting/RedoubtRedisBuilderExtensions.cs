using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Redoubt.Aspire.Hosting;

namespace Aspire.Hosting;

public static class RedoubtRedisBuilderExtensions
{
    /// <summary>
    /// Adds a Redoubt Redis resource: Redoubt's local control plane starts in the AppHost, creates the resource (one
    /// master, replicas, a Sentinel per zone, automatic failover) and keeps it healthy while the AppHost runs. Projects
    /// that reference it get its master endpoint and password as the connection string named <paramref name="name"/>;
    /// <c>WaitFor</c> holds them until Redoubt reports it Ready.
    /// </summary>
    public static IResourceBuilder<RedoubtRedisResource> AddRedoubtRedis(this IDistributedApplicationBuilder builder, string name, Action<RedoubtRedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new RedoubtRedisOptions();
        configure?.Invoke(options);
        options.Home ??= Path.Combine(builder.AppHostDirectory, ".redoubt");
        var resource = new RedoubtRedisResource(name, options);

        builder.Services.AddSingleton<RedoubtControlPlanes>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RedoubtControlPlanes>());
        var health = $"redoubt-{name}-ready";
        builder.Services.AddHealthChecks().AddCheck(health, () => resource.Ready
            ? HealthCheckResult.Healthy("Redoubt reports the resource Ready")
            : HealthCheckResult.Unhealthy("Redoubt does not report the resource Ready"));

        builder.Eventing.Subscribe<InitializeResourceEvent>(resource, (e, cancellationToken) =>
        {
            var runner = new RedoubtRedisRunner(resource, e.Services.GetRequiredService<RedoubtControlPlanes>(), e.Notifications, e.Eventing, e.Logger, e.Services);
            // The resource lives as long as the AppHost: its run is not this event's to await.
            _ = Task.Run(() => runner.RunAsync(e.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping), CancellationToken.None);
            return Task.CompletedTask;
        });

        return builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "RedoubtRedis",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .WithHealthCheck(health);
    }
}
