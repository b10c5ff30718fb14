using System.CommandLine;
using Redoubt.Commands;

namespace Redoubt.Kubernetes;

/// <summary>
/// The `render` and `operator` commands. Their options live here, next to the entry points, so the Kubernetes
/// platform can grow them without touching the local commands.
/// </summary>
public static class KubernetesCommandLine
{
    private const int MinWatchTimeoutSeconds = 1;
    private const int MaxWatchTimeoutSeconds = 3600;

    public static Command CreateRender()
    {
        var file = CommonOptions.File("YAML file with one or more Redis resources");
        var (redisImages, exporterImage) = ImageOptions();
        var command = new Command("render", "Print the Kubernetes manifests for the resources of FILE") { file, redisImages, exporterImage };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (text, fileName) = await InputFile.ReadAsync(parseResult.GetRequiredValue(file), cancellationToken);
            var images = new KubernetesEntryPoints.Images(parseResult.GetValue(redisImages) ?? [], parseResult.GetValue(exporterImage));
            return await KubernetesEntryPoints.RenderAsync(text, fileName, images, cancellationToken);
        });
        return command;
    }

    public static Command CreateOperator()
    {
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "Kubeconfig file of the cluster to run against [default: $KUBECONFIG, else ~/.kube/config, else the pod's ServiceAccount]",
            HelpName = "FILE",
        };
        var web = new Option<string?>("--web")
        {
            Description = $"Where /metrics (and the dashboard, with a token) listens: ADDRESS:PORT, or off [default: ${Redoubt.Web.WebAddress.EnvironmentVariable}, else 0.0.0.0:{Redoubt.Web.WebAddress.DefaultPort}, so Prometheus can scrape the pod]",
            HelpName = "ADDRESS:PORT|off",
        };
        var dashboardTokenFile = new Option<string?>(OperatorDashboardToken.Option)
        {
            Description = $"File with the dashboard's token (at least {Redoubt.Web.WebToken.MinimumLength} characters; a mounted Secret): the operator serves the dashboard on --web too. "
                + $"Without one it serves metrics only [default: ${OperatorDashboardToken.EnvironmentVariable}]",
            HelpName = "FILE",
        };
        var watchTimeout = new Option<int>("--watch-timeout")
        {
            Description = "Seconds one watch request lasts before it is renewed from the last version seen; shorter where a proxy or load balancer "
                + $"in front of the API server cuts long-lived connections ({MinWatchTimeoutSeconds}-{MaxWatchTimeoutSeconds})",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => (int)Platforms.Kubernetes.Operator.OperatorOptions.DefaultWatchTimeout.TotalSeconds,
        };
        watchTimeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < MinWatchTimeoutSeconds or > MaxWatchTimeoutSeconds)
            {
                result.AddError($"--watch-timeout: {result.GetValueOrDefault<int>()} is not allowed; allowed: {MinWatchTimeoutSeconds} to {MaxWatchTimeoutSeconds} seconds");
            }
        });
        var (redisImages, exporterImage) = ImageOptions();
        var jobImage = new Option<string?>("--job-image")
        {
            Description = "The image backup and restore Jobs run; it needs redoubt, redis-server and redis-check-rdb [default: the operator's own, read from its pod]",
            HelpName = "IMAGE",
        };
        var command = new Command("operator", "Run the Kubernetes operator (in a cluster, or against the current kubeconfig)") { kubeconfig, web, dashboardTokenFile, watchTimeout, redisImages, exporterImage, jobImage };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var images = new KubernetesEntryPoints.Images(parseResult.GetValue(redisImages) ?? [], parseResult.GetValue(exporterImage)) { Job = parseResult.GetValue(jobImage) };
            var address = OperatorWebAddress.Resolve(parseResult.GetValue(web));
            return KubernetesEntryPoints.RunOperatorAsync(parseResult.GetValue(kubeconfig), address, images, parseResult.GetValue(dashboardTokenFile),
                TimeSpan.FromSeconds(parseResult.GetValue(watchTimeout)), cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// What a backup or restore Job's pod runs: the task the operator put in its environment, the outcome in the
    /// container's termination message. Hidden: people ask for backups through the Redis object's annotations.
    /// </summary>
    public static Command CreateBackupJob()
    {
        var terminationLog = new Option<string>("--termination-log")
        {
            Description = "Where the outcome is written for the operator",
            HelpName = "FILE",
            DefaultValueFactory = _ => Platforms.Kubernetes.Backups.BackupJobPaths.TerminationMessage,
        };
        var mountRoot = new Option<string>("--mount-root")
        {
            Description = "The folder the Job's volumes are mounted under",
            HelpName = "DIRECTORY",
            DefaultValueFactory = _ => "/",
        };
        var redisBin = new Option<string?>("--redis-bin")
        {
            Description = "The folder with the redis-server and redis-check-rdb to use [default: those on PATH]",
            HelpName = "DIRECTORY",
        };
        var command = new Command("backup-job", $"Run the backup or restore task in ${Platforms.Kubernetes.Backups.BackupTask.EnvironmentVariable} (what the operator's Jobs run)")
        {
            Hidden = true,
        };
        command.Options.Add(terminationLog);
        command.Options.Add(mountRoot);
        command.Options.Add(redisBin);
        command.SetAction((parseResult, cancellationToken) =>
            KubernetesEntryPoints.RunBackupJobAsync(parseResult.GetRequiredValue(terminationLog), parseResult.GetRequiredValue(mountRoot), parseResult.GetValue(redisBin), cancellationToken));
        return command;
    }

    /// <summary>The images pods run, for sites that mirror Docker Hub or have no access to it.</summary>
    private static (Option<string[]> Redis, Option<string?> Exporter) ImageOptions() =>
    (
        new Option<string[]>("--redis-image")
        {
            Description = "The image for one spec.version, as VERSION=IMAGE (repeatable) [default: v7=redis:7.4.5, v8=redis:8.2.1]",
            HelpName = "VERSION=IMAGE",
            AllowMultipleArgumentsPerToken = false,
        },
        new Option<string?>("--exporter-image")
        {
            Description = "The redis_exporter sidecar's image [default: oliver006/redis_exporter:v1.74.0]",
            HelpName = "IMAGE",
        }
    );
}
