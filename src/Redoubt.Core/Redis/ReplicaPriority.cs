namespace Redoubt.Core.Redis;

/// <summary>
/// Redis's <c>replica-priority</c>, by which Sentinel chooses the replica to promote: the lowest number among equally
/// caught-up replicas, and never one whose priority is 0.
/// </summary>
public static class ReplicaPriority
{
    public const string Key = "replica-priority";

    /// <summary>Redis's default.</summary>
    public const string Normal = "100";

    /// <summary>The replica a switchover wants Sentinel to choose.</summary>
    public const string Favoured = "1";

    /// <summary>Never promoted by Sentinel.</summary>
    public const string Held = "0";
}
