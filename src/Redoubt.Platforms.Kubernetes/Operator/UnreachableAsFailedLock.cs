using System.Net;
using k8s.Autorest;
using k8s.LeaderElection;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// The Lease lock as KubernetesClient's elector expects its failures. The elector retries a Lease call that failed
/// with an HTTP status until the renew deadline, but ends the term at the first call that could not reach the API
/// server at all (a refused connection, a timeout): one restart of the API server then restarted every watch and
/// reconciler. Here such a call is a failed attempt like any other, so a leader rides out an API server that is
/// away for less than the renew deadline, and a candidate keeps competing.
/// </summary>
internal sealed class UnreachableAsFailedLock(ILock inner) : ILock
{
    public string Identity => inner.Identity;

    public string Describe() => inner.Describe();

    public async Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.GetAsync(cancellationToken);
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            // Any status but 404 makes the elector count a failed attempt (404 would make it create the Lease).
            throw new HttpOperationException($"the API server did not answer: {e.Message}", e)
            {
                Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), ""),
            };
        }
    }

    public async Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.CreateAsync(record, cancellationToken);
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            return false;
        }
    }

    public async Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.UpdateAsync(record, cancellationToken);
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            return false;
        }
    }

    private static bool Unreachable(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);
}
