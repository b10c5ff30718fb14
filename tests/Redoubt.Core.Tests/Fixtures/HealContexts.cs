using Redoubt.Core.Healing;

namespace Redoubt.Core.Tests.Fixtures;

internal static class HealContexts
{
    /// <summary>A pass at the observation's time; <paramref name="noMasterFor"/> says how long there has been no master.</summary>
    public static HealContext At(TimeSpan? noMasterFor = null, int? lastKnownMaster = null) => new()
    {
        Now = ObservedClusters.T0,
        NoMasterSince = noMasterFor is { } span ? ObservedClusters.T0 - span : null,
        LastKnownMaster = lastKnownMaster is { } ordinal ? TestAddresses.OfRedis(ordinal) : null,
    };
}
