using Redoubt.Core.Planning;
using Redoubt.Model;

namespace Redoubt.Core.Tests.Fixtures;

/// <summary>Plans made the way the reconciler makes them: a resource, its defaults, the planner.</summary>
internal static class TestPlans
{
    /// <param name="redisNodeName">A platform's own names for the Redis nodes (Kubernetes: the pods'); default redis-N.</param>
    public static ResourcePlan Of(int replicas = 3, Action<RedisSpec>? configure = null, Func<int, string>? redisNodeName = null)
    {
        var spec = new RedisSpec { Replicas = replicas };
        configure?.Invoke(spec);
        return Planner.Plan(new RedisResource { Metadata = { Name = "t" }, Spec = spec }, redisNodeName);
    }
}
