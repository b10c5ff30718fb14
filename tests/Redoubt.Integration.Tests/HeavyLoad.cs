namespace Redoubt.Integration.Tests;

/// <summary>
/// Tests that keep both cores busy for many seconds (several client processes writing as fast as they can, a frozen
/// master and a writer through the endpoint): they run alone, after the others, so that their load does not stall a
/// test beside them that times a repair or a failover.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyLoad
{
    public const string Name = "heavy load, run alone";
}
