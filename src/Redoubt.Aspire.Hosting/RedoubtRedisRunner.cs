using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Eventing;
using Microsoft.Extensions.Logging;
using Redoubt.Model;

namespace Redoubt.Aspire.Hosting;

/// <summary>
/// One resource's life in the AppHost: applied to the control plane, then its status followed twice a second and shown
/// on the Aspire dashboard (phase, master, endpoint, nodes); the connection string is released at the first Ready.
/// </summary>
internal sealed class RedoubtRedisRunner(
    global::Aspire.Hosting.RedoubtRedisResource resource,
    RedoubtControlPlanes controlPlanes,
    ResourceNotificationService notifications,
    IDistributedApplicationEventing eventing,
    ILogger logger,
    IServiceProvider services)
{
    private const string Namespace = "default";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Starting, StartTimeStamp = DateTime.UtcNow }).ConfigureAwait(false);
            var controlPlane = await controlPlanes.ForAsync(resource.Options, stopping).ConfigureAwait(false);
            var source = $"AddRedoubtRedis(\"{resource.Name}\")";
            var applied = await controlPlane.ApplyAsync(Yaml(), source, stopping).ConfigureAwait(false);
            if (!applied.Succeeded)
            {
                foreach (var error in applied.Errors)
                {
                    logger.LogError("{Error}", error.ToString());
                }

                await FailAsync(string.Join("; ", applied.Errors.Select(e => e.ToString()))).ConfigureAwait(false);
                return;
            }

            logger.LogInformation("Redoubt state folder: {Home}", controlPlane.Home);
            string? said = null;
            while (!stopping.IsCancellationRequested)
            {
                if ((await controlPlane.GetAsync(Namespace, resource.Name, stopping).ConfigureAwait(false))?.Status is { } status)
                {
                    resource.Ready = status.Phase == Phases.Ready;
                    if (resource.Ready && !resource.ConnectionString.Task.IsCompleted)
                    {
                        await ReleaseConnectionStringAsync(controlPlane, stopping).ConfigureAwait(false);
                    }

                    var summary = $"{status.Phase} {status.Master}";
                    if (summary != said)
                    {
                        said = summary;
                        logger.LogInformation("phase {Phase}, master {Master}, endpoint {Endpoint}", status.Phase, status.Master ?? "none", status.Endpoint ?? "none");
                        await notifications.PublishUpdateAsync(resource, s => s with
                        {
                            State = State(status.Phase),
                            Properties = [.. s.Properties.Where(p => !p.Name.StartsWith("redoubt.", StringComparison.Ordinal)), .. Properties(status)],
                        }).ConfigureAwait(false);
                    }
                }

                await Task.Delay(Poll, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost stops; the control plane stops with it (RedoubtControlPlanes).
        }
        catch (Exception e) when (e is Redoubt.Core.RedoubtException or IOException or InvalidOperationException)
        {
            logger.LogError("{Error}", e.Message);
            await FailAsync(e.Message).ConfigureAwait(false);
        }
    }

    private async Task ReleaseConnectionStringAsync(Redoubt.Platforms.Local.LocalControlPlane controlPlane, CancellationToken stopping)
    {
        var credentials = await controlPlane.GetCredentialsAsync(Namespace, resource.Name, stopping).ConfigureAwait(false);
        if (credentials?.Endpoint is not { } endpoint)
        {
            return;
        }

        var text = new StringBuilder(endpoint);
        if (credentials.Password is { } password)
        {
            text.Append(",password=").Append(password);
        }

        if (credentials.CertificateAuthorityFile is not null)
        {
            text.Append(",ssl=true");
        }

        resource.ConnectionString.TrySetResult(text.ToString());
        await eventing.PublishAsync(new ConnectionStringAvailableEvent(resource, services), stopping).ConfigureAwait(false);
    }

    private async Task FailAsync(string message)
    {
        resource.ConnectionString.TrySetException(new InvalidOperationException($"Redoubt could not run {resource.Name}: {message}"));
        await notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.FailedToStart }).ConfigureAwait(false);
    }

    /// <summary>The resource file Redoubt applies: the options' replicas and spec lines.</summary>
    private string Yaml()
    {
        var text = new StringBuilder()
            .Append("apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: ").Append(resource.Name)
            .Append("\n  namespace: ").Append(Namespace)
            .Append("\nspec:\n  replicas: ").Append(resource.Options.Replicas.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var line in resource.Options.Spec)
        {
            text.Append("  ").Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static ResourceStateSnapshot State(string phase) => phase switch
    {
        Phases.Ready => new ResourceStateSnapshot(KnownResourceStates.Running, KnownResourceStateStyles.Success),
        Phases.Failed => new ResourceStateSnapshot(phase, KnownResourceStateStyles.Error),
        Phases.Degraded or Phases.FailingOver => new ResourceStateSnapshot(phase, KnownResourceStateStyles.Warn),
        _ => new ResourceStateSnapshot(phase, KnownResourceStateStyles.Info),
    };

    private static ImmutableArray<ResourcePropertySnapshot> Properties(RedisStatus status) =>
    [
        new("redoubt.phase", status.Phase),
        new("redoubt.endpoint", status.Endpoint ?? "none"),
        new("redoubt.master", status.Master ?? "none"),
        new("redoubt.sentinels", string.Join(", ", status.Sentinels)),
        new("redoubt.nodes", string.Join(", ", status.Nodes.Select(n => $"{n.Name} {n.Role} {n.Address}"))),
    ];
}
