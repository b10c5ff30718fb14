namespace Redoubt.Core.Platform;

/// <summary>What the platform knows of a node's process or pod, independent of what Redis says.</summary>
public enum NodeLifecycle
{
    /// <summary>Wanted but not created yet.</summary>
    Missing,
    /// <summary>Created; the process or container has not confirmed it is up.</summary>
    Starting,
    Running,
    /// <summary>The process exited or the container terminated; the platform will start it again.</summary>
    Exited,
    /// <summary>Being stopped or deleted on purpose.</summary>
    Terminating,
}
