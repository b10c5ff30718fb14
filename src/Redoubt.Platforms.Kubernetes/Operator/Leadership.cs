using Redoubt.Core.Control;
using Redoubt.Core.ControlPlane;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// Whether this instance leads, for requests from outside the controller that only the leader may carry out (a
/// switchover asked from the dashboard): the control loop of the term it leads, and the Lease's holder as the elector
/// last saw it, so a replica that does not lead can say which one does.
/// </summary>
public sealed class Leadership(OperatorOptions options)
{
    private ControlLoop<RedisObject>? _loop;
    private string? _leader;

    /// <summary>The leading term's control loop; null while this instance does not lead, or its term starts or ends.</summary>
    public ControlLoop<RedisObject>? Loop => Volatile.Read(ref _loop);

    /// <summary>The Lease's holder as last seen; null before the first look (or without leader election, before the term starts).</summary>
    public string? Leader => Volatile.Read(ref _leader);

    internal void Observe(string leader) => Volatile.Write(ref _leader, leader);

    /// <summary>Offers <paramref name="loop"/> to requests until the registration is disposed (the term ends).</summary>
    internal IDisposable Lead(ControlLoop<RedisObject> loop)
    {
        Observe(options.Identity);
        Volatile.Write(ref _loop, loop);
        return new Term(this, loop);
    }

    /// <summary>The leading term's loop, or a <see cref="NotLeaderException"/> that says who leads and where to ask.</summary>
    /// <param name="what">The request, as in "only the leader can ..." (e.g. "switch over").</param>
    public ControlLoop<RedisObject> LoopOrRefuse(string what) => Loop ?? throw new NotLeaderException(Refusal(what));

    private string Refusal(string what)
    {
        var lease = $"{options.LeaseNamespace}/{options.LeaseName}";
        return Leader switch
        {
            { Length: > 0 } leader when leader == options.Identity =>
                $"this operator replica ({options.Identity}) leads but its controller is starting or stopping (Lease {lease}): try again in a moment",
            { Length: > 0 } leader =>
                $"this operator replica ({options.Identity}) is not the leader, and only the leader can {what}: the Lease {lease} is held by {leader}; "
                + $"open the dashboard through that pod (kubectl port-forward -n {options.LeaseNamespace} pod/{leader} 9480, or the port of its --web) and ask again",
            _ => $"this operator replica ({options.Identity}) is not the leader, and only the leader can {what}; no replica holds the Lease {lease} yet: try again in a moment",
        };
    }

    private sealed class Term(Leadership leadership, ControlLoop<RedisObject> loop) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref leadership._loop, null, loop);
    }
}
