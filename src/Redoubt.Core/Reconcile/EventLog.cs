using Redoubt.Model;

namespace Redoubt.Core.Reconcile;

/// <summary>The recent events of one resource, newest last, bounded so status stays small.</summary>
public sealed class EventLog(TimeProvider time, int capacity = 50)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<StatusEvent> _events = new();

    public void Add(string type, string reason, string message)
    {
        lock (_lock)
        {
            _events.AddLast(new StatusEvent { Time = time.GetUtcNow(), Type = type, Reason = reason, Message = message });
            while (_events.Count > capacity)
            {
                _events.RemoveFirst();
            }
        }
    }

    public void Restore(IEnumerable<StatusEvent> events)
    {
        lock (_lock)
        {
            foreach (var e in events)
            {
                _events.AddLast(e);
            }
        }
    }

    public List<StatusEvent> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }
}
