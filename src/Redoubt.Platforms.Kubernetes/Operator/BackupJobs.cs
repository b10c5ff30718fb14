using System.Net;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Backups;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// The operator's side of backups and restores: reads a resource's Jobs and what their pods reported, asks
/// <see cref="BackupPlanner"/> what to do, and once the status holds the outcome, creates the Jobs it asked for and
/// deletes the finished ones. Touches the API only for resources that use backups (a spec.backup, an annotation, a
/// backup in the status), so the rest cost nothing.
/// </summary>
public sealed partial class BackupJobs(IKubernetes client, RedisApi api, OperatorOptions options, ILogger<BackupJobs> logger, TimeProvider time)
{
    private string? _image;
    private bool _imageKnown;

    /// <param name="stored">What the stored status says of the backups (null: nothing).</param>
    public async Task<BackupPlan> PlanAsync(RedisResource resource, BackupStatus? stored, RedisStatus current, CancellationToken ct)
    {
        var uses = resource.Spec.Backup is not null || stored is not null
            || ResourceAnnotations.BackupRequestedAtOf(resource) is not null || ResourceAnnotations.RestoreFromOf(resource) is not null;
        if (!uses)
        {
            return BackupPlan.Nothing;
        }

        var ns = resource.Metadata.Namespace;
        try
        {
            var jobs = await JobsOfAsync(ns, new ObjectNames(resource.Metadata.Name), ct);
            RedisResource? sibling = null;
            if (ResourceAnnotations.RestoreFromOf(resource)?.Split('/') is [var source, _] && source != resource.Metadata.Name
                && await api.GetAsync(ns, source, ct) is { } other && ResourceConversion.ToResource(other) is { Errors.Count: 0 } load)
            {
                sibling = load.Resources[0];
            }

            return BackupPlanner.Plan(resource, stored, current, jobs, time.GetUtcNow(), await ImageAsync(ct),
                name => sibling?.Metadata.Name == name ? sibling : null);
        }
        catch (HttpOperationException e)
        {
            // The rest of the pass (status, role labels) must not wait on backups: what they had stays, the condition says why.
            var what = PassFailure.Describe(e);
            LogJobsUnreadable(resource.Key, what);
            return BackupPlan.Nothing with
            {
                Status = stored,
                Conditions = [new StatusCondition { Type = BackupPlanner.ConditionBackups, Status = "False", Reason = "JobsUnavailable", Message = $"the backup Jobs could not be read: {what} (tried again at the next pass)" }],
                RequeueAfter = BackupPlanner.WhileRunning,
            };
        }
    }

    /// <summary>After the status is written: the Jobs the plan asked for created, the finished ones deleted (the status has their outcome).</summary>
    public async Task ApplyAsync(RedisResource resource, BackupPlan plan, CancellationToken ct)
    {
        var ns = resource.Metadata.Namespace;
        var names = new ObjectNames(resource.Metadata.Name);
        foreach (var request in plan.Create)
        {
            var job = BackupJobManifest.Build(request, ns, names, OwnerReferences.For(Core.Planning.Planner.Plan(resource)), _image!, options.Manifests.ImageFor(resource.Spec.Version));
            try
            {
                await client.BatchV1.CreateNamespacedJobAsync(job, ns, cancellationToken: ct);
                LogJobCreated(request.Task.Action, request.Name, resource.Key);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Made by a pass whose status write did not land, or by the previous leader: the same Job, by its name.
            }
            catch (HttpOperationException e)
            {
                // The status says the Job runs: the next pass finds none and reports the backup or restore failed.
                LogJobNotCreated(request.Name, resource.Key, PassFailure.Describe(e));
            }
        }

        foreach (var name in plan.Delete)
        {
            try
            {
                await client.BatchV1.DeleteNamespacedJobAsync(name, ns, propagationPolicy: "Background", cancellationToken: ct);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Gone already.
            }
        }
    }

    private async Task<IReadOnlyList<BackupJobState>> JobsOfAsync(string ns, ObjectNames names, CancellationToken ct)
    {
        var selector = $"{Labels.ManagedBy}={Labels.ManagedByValue},{Labels.Resource}={names.ResourceName},{BackupJobManifest.ActionLabel}";
        var list = await client.BatchV1.ListNamespacedJobAsync(ns, labelSelector: selector, cancellationToken: ct);
        var states = new List<BackupJobState>();
        foreach (var job in list.Items.Where(j => j.Metadata.DeletionTimestamp is null))
        {
            var conditions = job.Status?.Conditions ?? [];
            var failed = conditions.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");
            var finished = failed is not null || conditions.Any(c => c.Type == "Complete" && c.Status == "True");
            BackupJobResult? result = null;
            string? failure = failed is null ? null : $"the Job failed: {failed.Reason}{(failed.Message is { Length: > 0 } m ? $" ({m})" : "")}";
            if (finished)
            {
                var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"job-name={job.Metadata.Name}", cancellationToken: ct);
                var terminated = pods.Items.Select(p => p.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == BackupJobManifest.Container)?.State?.Terminated).FirstOrDefault(t => t is not null);
                result = BackupJobResult.Read(terminated?.Message);
                if (result is null && terminated is not null)
                {
                    // Died without its report: what Kubernetes and the log's tail say.
                    failure = $"the Job's container ended ({terminated.Reason}, exit {terminated.ExitCode}){(terminated.Message is { Length: > 0 } tail ? $": {Tail(tail)}" : "")}";
                }
            }

            states.Add(new BackupJobState(job.Metadata.Name, job.Metadata.Labels.Get(BackupJobManifest.ActionLabel) ?? "", job.Metadata.Labels.Get(BackupJobManifest.ScheduledLabel) == "true", finished, result, failure));
        }

        return states;
    }

    /// <summary>The image the Jobs run: --job-image, else the operator's own (its pod, from POD_NAME and POD_NAMESPACE).</summary>
    private async Task<string?> ImageAsync(CancellationToken ct)
    {
        if (_imageKnown)
        {
            return _image;
        }

        _image = options.JobImage;
        if (_image is null && Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod && Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns)
        {
            try
            {
                var self = await client.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: ct);
                _image = self.Spec.Containers.FirstOrDefault(c => c.Name == "operator")?.Image ?? self.Spec.Containers.FirstOrDefault()?.Image;
                LogImage(_image ?? "none");
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
            {
                // Not in a pod of that name (run outside the cluster), or not allowed to read it: the condition says
                // no backup can run and why; the next pass does not ask again.
                LogNoImage(pod, ns, (int)e.Response.StatusCode);
            }
        }

        _imageKnown = true;
        return _image;
    }

    private static string Tail(string text)
    {
        var line = text.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";
        return line.Length <= 300 ? line : line[^300..];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} Job {Job} created for {Resource}")]
    private partial void LogJobCreated(string action, string job, string resource);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: its backup Jobs could not be read: {What}")]
    private partial void LogJobsUnreadable(string resource, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: the Job {Job} could not be created: {What}")]
    private partial void LogJobNotCreated(string job, string resource, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "backup and restore Jobs run the image {Image} (the operator's own)")]
    private partial void LogImage(string image);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot read the operator's own pod {Namespace}/{Pod} ({Status}) for the image backup Jobs run; pass --job-image to take backups")]
    private partial void LogNoImage(string pod, string @namespace, int status);
}
