using Redoubt.Core.Observation;
using Redoubt.Core.Planning;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// What the reconciler's parts share: the plan and observation of the last pass, the master history, whether a
/// failover Redoubt drives is running, and the one exit Redoubt caused itself. Every read and change goes through
/// here under one lock, so the parts (the pass, the watches, the fast failover) never see half an update.
/// </summary>
public sealed class ResourceKnowledge
{
    private readonly Lock _lock = new();
    private MasterHistory _history = new();
    private ResourcePlan? _plan;
    private ClusterObservation? _observation;
    private int _failoversInFlight;
    private string? _expectedExit;

    public MasterHistory History
    {
        get
        {
            lock (_lock)
            {
                return _history;
            }
        }
    }

    public ResourcePlan? Plan
    {
        get
        {
            lock (_lock)
            {
                return _plan;
            }
        }
        set
        {
            lock (_lock)
            {
                _plan = value;
            }
        }
    }

    public ClusterObservation? Observation
    {
        get
        {
            lock (_lock)
            {
                return _observation;
            }
        }
        set
        {
            lock (_lock)
            {
                _observation = value;
            }
        }
    }

    public bool FailoverInFlight => Volatile.Read(ref _failoversInFlight) > 0;

    /// <summary>Applies a change to the history atomically and returns what the change produced.</summary>
    public T Update<T>(Func<MasterHistory, (MasterHistory Next, T Result)> change)
    {
        lock (_lock)
        {
            var (next, result) = change(_history);
            _history = next;
            return result;
        }
    }

    public void Update(Func<MasterHistory, MasterHistory> change)
    {
        lock (_lock)
        {
            _history = change(_history);
        }
    }

    /// <summary>Marks a failover Redoubt drives; null when one already runs (a second would compete with it).</summary>
    public IDisposable? BeginFailover()
    {
        if (Interlocked.Increment(ref _failoversInFlight) > 1)
        {
            Interlocked.Decrement(ref _failoversInFlight);
            return null;
        }

        return new FailoverScope(this);
    }

    /// <summary>Marks a failover that may overlap another one (a planned switchover holds the pass's gate instead).</summary>
    public IDisposable BeginOverlappingFailover()
    {
        Interlocked.Increment(ref _failoversInFlight);
        return new FailoverScope(this);
    }

    /// <summary>An exit Redoubt is about to cause (a fence, restarting the only node): not a reason for the fast path.</summary>
    public void ExpectExit(string node) => Volatile.Write(ref _expectedExit, node);

    /// <summary>True (once) when this exit was the one Redoubt caused.</summary>
    public bool TakeExpectedExit(string node) => Interlocked.CompareExchange(ref _expectedExit, null, node) == node;

    /// <summary>The reachable Sentinels of the last pass.</summary>
    public List<string> SentinelAddresses() =>
        Observation?.Sentinels.Where(s => s.Reachable && s.Address is not null).Select(s => s.Address!).ToList() ?? [];

    /// <summary>The name of the node at an address, as the last pass saw it (the address itself when unknown).</summary>
    public string NodeNameOf(string address) =>
        Observation?.Nodes.FirstOrDefault(n => n.Address == address)?.Name ?? address;

    /// <summary>The addresses of every Redis node of the last pass but one.</summary>
    public List<string> NodeAddressesExcept(string address) =>
        Observation?.Nodes.Where(n => n.Address is not null && n.Address != address).Select(n => n.Address!).ToList() ?? [];

    private sealed class FailoverScope(ResourceKnowledge owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._failoversInFlight);
            }
        }
    }
}
