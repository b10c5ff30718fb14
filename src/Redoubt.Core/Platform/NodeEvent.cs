namespace Redoubt.Core.Platform;

public enum NodeEventKind
{
    Started,
    /// <summary>The process exited or the container terminated without being asked to.</summary>
    Exited,
    /// <summary>Gone without an exit seen first: removed at once.</summary>
    Deleted,
    /// <summary>
    /// The platform began to stop it (a pod being deleted, with its grace period): until the process ends it still runs
    /// and still takes writes.
    /// </summary>
    Stopping,
}

/// <summary>A lifecycle fact the platform observed directly; an exit of the master starts the fast failover path.</summary>
public sealed record NodeEvent(string ResourceKey, NodeKind Kind, string NodeName, NodeEventKind Event, DateTimeOffset Time, string Detail = "");
