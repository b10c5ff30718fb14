namespace Redoubt.Core.ControlPlane;

/// <summary>What a subscriber reads from a <see cref="StatusFeed"/>: the resources that changed, or all of them (it fell behind).</summary>
public sealed record StatusChanges(IReadOnlyList<StatusChange> Changes, bool All)
{
    /// <summary>The subscriber fell behind: everything may have changed, the first of it at <paramref name="since"/>.</summary>
    public static StatusChanges Everything(DateTimeOffset since) => new([new StatusChange("", since)], All: true);
}

/// <summary>A resource changed, first at <paramref name="Since"/> since the subscriber last read.</summary>
public sealed record StatusChange(string Key, DateTimeOffset Since);
