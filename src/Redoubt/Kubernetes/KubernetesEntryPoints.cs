using Microsoft.Extensions.Logging;
using Redoubt.Metrics;
using Redoubt.Platforms.Kubernetes;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Operator;
using Redoubt.Terminal;
using Redoubt.Web;

namespace Redoubt.Kubernetes;

/// <summary>
/// Where `render` and `operator` hand over to the Kubernetes platform. The command line reads the file and owns
/// the options; the platform does the work.
/// </summary>
public static class KubernetesEntryPoints
{
    /// <summary>The images named on the command line: <c>--redis-image VERSION=IMAGE</c> and <c>--exporter-image</c>.</summary>
    public sealed record Images(IReadOnlyList<string> Redis, string? Exporter)
    {
        public static readonly Images Default = new([], null);

        /// <summary><c>--job-image</c>: what backup and restore Jobs run; null, the operator's own image.</summary>
        public string? Job { get; init; }
    }

    /// <summary>Prints the Kubernetes manifests for the resources in <paramref name="yaml"/> to stdout; returns the exit code.</summary>
    public static async Task<int> RenderAsync(string yaml, string fileName, Images images, CancellationToken cancellationToken)
    {
        var (manifests, error) = new ManifestOptions().WithImages(images.Redis, images.Exporter);
        if (manifests is null)
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }

        return await KubernetesCommands.RenderTextAsync(yaml, fileName, manifests, Console.Out, Console.Error, cancellationToken);
    }

    /// <summary>Runs the operator until <paramref name="cancellationToken"/> fires (Ctrl-C, SIGTERM), then hands leadership over; returns the exit code.</summary>
    /// <param name="web">Where /metrics (and the dashboard, with a token) listens; null: nowhere.</param>
    /// <param name="dashboardTokenFile"><c>--dashboard-token-file</c>: the dashboard's token (<see cref="OperatorDashboardToken"/>).</param>
    /// <param name="watchTimeout"><c>--watch-timeout</c>: how long one watch request lasts.</param>
    public static async Task<int> RunOperatorAsync(string? kubeconfig, WebAddress? web, Images images, string? dashboardTokenFile, TimeSpan watchTimeout, CancellationToken cancellationToken)
    {
        var (manifests, error) = new ManifestOptions().WithImages(images.Redis, images.Exporter);
        if (manifests is null)
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }

        var logs = TerminalLog.StandardError();
        using var loggers = ControlPlaneLogging.CreateFactory(logs);
        var log = loggers.CreateLogger("Redoubt.Operator");
        var options = new OperatorOptions { Kubeconfig = kubeconfig, Manifests = manifests, WatchTimeout = watchTimeout, JobImage = images.Job };
        if (web is null)
        {
            await using var unserved = OperatorHost.Create(options, loggers, TimeProvider.System);
            await unserved.RunAsync(cancellationToken);
            return 0;
        }

        var (token, off, misconfigured) = OperatorDashboardToken.Resolve(dashboardTokenFile);
        if (off is not null)
        {
            log.Log(misconfigured ? LogLevel.Warning : LogLevel.Information, "{Line}", off);
        }

        var telemetry = new PrometheusTelemetry();
        await using var host = OperatorHost.Create(options with { Telemetry = telemetry, Dashboard = token is not null }, loggers, TimeProvider.System);
        telemetry.WatchBackups(host.LedResourcesAsync);
        // Without a token file no route asks for a token: the one made here guards nothing and is never shown.
        await using var listener = await WebListener.StartAsync(
            web, token ?? WebToken.Ephemeral(), logging => logging.AddTerminal(logs, includeScopes: false),
            (app, served) => WebRoutes.MapOperator(app, served, telemetry.Registry, host.Dashboard), cancellationToken);
        if (host.Dashboard is null)
        {
            log.LogInformation("Serving metrics on {Address}metrics", listener.Address);
        }
        else
        {
            log.LogInformation("Serving metrics and the dashboard on {Address}", listener.Address);
        }
        try
        {
            await host.RunAsync(cancellationToken);
            return 0;
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// `redoubt backup-job`: runs the task in the environment, prints what it does, and writes the outcome to
    /// <paramref name="terminationLog"/> for the operator. 0 when it succeeded, 1 when it failed, 2 without a task.
    /// </summary>
    public static async Task<int> RunBackupJobAsync(string terminationLog, string mountRoot, string? redisBin, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(Platforms.Kubernetes.Backups.BackupTask.EnvironmentVariable) is not { Length: > 0 } json)
        {
            await Console.Error.WriteLineAsync($"backup-job: ${Platforms.Kubernetes.Backups.BackupTask.EnvironmentVariable} is not set; the operator's backup and restore Jobs set it");
            return 2;
        }

        Platforms.Kubernetes.Backups.BackupTask task;
        try
        {
            task = Platforms.Kubernetes.Backups.BackupTask.FromJson(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            await Console.Error.WriteLineAsync($"backup-job: ${Platforms.Kubernetes.Backups.BackupTask.EnvironmentVariable} is not a task: {e.Message}");
            return 2;
        }

        var runner = new Platforms.Kubernetes.Backups.BackupJobRunner(Console.Out, TimeProvider.System)
        {
            MountRoot = mountRoot,
            RedisServer = redisBin is null ? "redis-server" : Path.Combine(redisBin, "redis-server"),
            RedisCheckRdb = redisBin is null ? "redis-check-rdb" : Path.Combine(redisBin, "redis-check-rdb"),
        };
        var result = await runner.RunAsync(task, cancellationToken);
        await File.WriteAllTextAsync(terminationLog, result.ToJson(), cancellationToken);
        return result.Succeeded ? 0 : 1;
    }
}
