using System.Net;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// Runs the controller only while this instance holds the Lease (KubernetesClient's <see cref="LeaderElector"/>
/// with a <see cref="LeaseLock"/>). Each term gets its own cancellation: losing the Lease cancels the term and waits
/// for it to stop before competing again, so two instances never reconcile at once. On shutdown the Lease is
/// released (holder emptied) so the next instance takes over at once instead of after the lease duration.
/// </summary>
public sealed partial class LeaderElection(IKubernetes client, OperatorOptions options, Leadership leadership, ILogger<LeaderElection> logger)
{
    private readonly ILogger _logger = logger;

    public async Task RunAsync(Func<CancellationToken, Task> term, CancellationToken ct)
    {
        var config = new LeaderElectionConfig(new UnreachableAsFailedLock(new LeaseLock(client, options.LeaseNamespace, options.LeaseName, options.Identity)))
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        };
        while (!ct.IsCancellationRequested)
        {
            using var elector = new LeaderElector(config);
            using var termCancellation = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Task? running = null;
            Task? watching = null;
            elector.OnStartedLeading += () =>
            {
                LogLeading(options.Identity, options.LeaseNamespace, options.LeaseName);
                running = Task.Run(() => term(termCancellation.Token), CancellationToken.None);
                watching = WatchHolderAsync(termCancellation);
            };
            elector.OnStoppedLeading += termCancellation.Cancel;
            elector.OnNewLeader += leader =>
            {
                leadership.Observe(leader ?? "");
                LogNewLeader(leader ?? "");
            };
            var failed = false;
            try
            {
                await elector.RunUntilLeadershipLostAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is not OutOfMemoryException && !ct.IsCancellationRequested)
            {
                // Whatever the elector still lets through: this instance stops leading, if it was, and competes again.
                LogElectionFailed(options.RetryPeriod.TotalMilliseconds, e);
                failed = true;
            }

            await termCancellation.CancelAsync();
            if (running is not null)
            {
                await running;
                await watching!;
                LogTermEnded(options.Identity);
            }

            if (ct.IsCancellationRequested)
            {
                if (running is not null)
                {
                    await ReleaseAsync();
                }

                return;
            }

            if (failed)
            {
                try
                {
                    await Task.Delay(options.RetryPeriod, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Ends the term as soon as the Lease names another holder, cancelling the passes in flight at once. The elector notices only when its renewals have failed
    /// for the renew deadline: a leader frozen past its Lease (its machine paused) and thawed would go on reconciling
    /// beside the new leader until then. The pods run saw one fence a pod and re-point a replica 9 s after it had read
    /// the new holder.
    /// </summary>
    private async Task WatchHolderAsync(CancellationTokenSource term)
    {
        while (!term.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.RetryPeriod, term.Token);
                var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.LeaseNamespace, cancellationToken: term.Token);
                if (lease.Spec?.HolderIdentity is { Length: > 0 } holder && holder != options.Identity)
                {
                    LogSuperseded(options.Identity, holder);
                    // No grace for what is in flight: the other instance reconciles the same resources already.
                    leadership.Loop?.AbortPasses();
                    await term.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                // The elector's renewals meet the same failure and end the term after the renew deadline.
            }
        }
    }

    /// <summary>Empties the holder of a Lease this instance still holds; the next candidate's next try takes it.</summary>
    internal async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.LeaseNamespace, cancellationToken: timeout.Token);
            if (lease.Spec?.HolderIdentity != options.Identity)
            {
                return;
            }

            // Empty, not null: KubernetesClient's elector treats a null holder as "no Lease yet" and tries to create one.
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.LeaseName, options.LeaseNamespace, cancellationToken: timeout.Token);
            LogReleased(options.LeaseNamespace, options.LeaseName);
        }
        catch (Exception e) when (e is HttpOperationException or OperationCanceledException or HttpRequestException)
        {
            // The Lease then expires on its own after its duration.
            LogReleaseFailed(e is HttpOperationException h ? h.Response.StatusCode : HttpStatusCode.RequestTimeout);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} is leading (Lease {Namespace}/{Name}); reconciling")]
    private partial void LogLeading(string identity, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} stops reconciling at once: {Leader} holds the Lease now")]
    private partial void LogSuperseded(string identity, string leader);

    [LoggerMessage(Level = LogLevel.Warning, Message = "leader election failed; competing again in {DelayMs} ms")]
    private partial void LogElectionFailed(double delayMs, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "leader is now {Leader}")]
    private partial void LogNewLeader(string leader);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} stopped reconciling")]
    private partial void LogTermEnded(string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "released Lease {Namespace}/{Name}")]
    private partial void LogReleased(string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not release the Lease ({Status}); it expires on its own")]
    private partial void LogReleaseFailed(HttpStatusCode status);
}
