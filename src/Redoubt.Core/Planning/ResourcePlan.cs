using System.Collections.Immutable;
using Redoubt.Model;

namespace Redoubt.Core.Planning;

/// <summary>
/// The desired topology of one resource: which nodes in which zones, and the settings each Redis node and each
/// Sentinel must carry, derived from its spec; and the resource's identity (uid, labels, annotations, the zones as
/// written), so a platform turns the plan into processes or objects without looking anything up elsewhere.
/// </summary>
public sealed record ResourcePlan
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required long Generation { get; init; }

    /// <summary>What the platform's objects name as their owner; null for a resource read from a file (render).</summary>
    public string? Uid { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The zones as the user listed them; null when left to the default (<see cref="EffectiveSpec.Zones"/> has them either way).</summary>
    public IReadOnlyList<string>? RequestedZones { get; init; }

    public required EffectiveSpec Spec { get; init; }
    public required IReadOnlyList<PlannedNode> RedisNodes { get; init; }
    public required IReadOnlyList<PlannedNode> Sentinels { get; init; }
    public string MasterName { get; init; } = SpecDefaults.MasterName;

    /// <summary>The resource's restart request (<see cref="ResourceAnnotations.RestartedAt"/>); a change restarts every node, one at a time.</summary>
    public string? RestartedAt { get; init; }

    /// <summary>
    /// The resource's request for a new application password (<see cref="ResourceAnnotations.PasswordRotatedAt"/>), null
    /// when it has none or when its grace period is not one (<see cref="PasswordRotationError"/> says why: nothing rotates).
    /// </summary>
    public Access.RotationRequest? PasswordRotation { get; init; }

    public string? PasswordRotationError { get; init; }

    /// <summary>Redis settings that can be changed at run time with CONFIG SET, in a stable order.</summary>
    public required IReadOnlyList<Setting> RedisSettings { get; init; }

    /// <summary>Per-master Sentinel settings (SENTINEL SET), auth-pass excluded.</summary>
    public required IReadOnlyList<Setting> SentinelSettings { get; init; }

    /// <summary>Process-wide Sentinel timers (SENTINEL DEBUG, Redis 7.0 and later); not kept in its config file, so set after every start.</summary>
    public IReadOnlyList<Setting> SentinelTimers { get; init; } = Planner.SentinelTimers;

    public string Key => $"{Namespace}/{Name}";
}

public sealed record Setting(string Key, string Value);
