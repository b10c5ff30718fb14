using Redoubt.Core.Planning;
using Redoubt.Model;

namespace Redoubt.Core.Tests.Fixtures;

/// <summary>Plans made the way the reconciler makes them: a resource, its defaults, the planner.</summary>
internal static class TestPlans
{
    public static ResourcePlan Of(int replicas = 3, Action<RedisSpec>? configure = null)
    {
        var spec = new RedisSpec { Replicas = replicas };
        configure?.Invoke(spec);
        return Planner.Plan(new RedisResource { Metadata = { Name = "t" }, Spec = spec });
    }
}
