namespace Redoubt.Core.Platform;

public enum NodeEventKind
{
    Started,
    /// <summary>The process exited or the container terminated without being asked to.</summary>
    Exited,
    Deleted,
}

/// <summary>A lifecycle fact the platform observed directly; an exit of the master starts the fast failover path.</summary>
public sealed record NodeEvent(string ResourceKey, NodeKind Kind, string NodeName, NodeEventKind Event, DateTimeOffset Time, string Detail = "");
