using k8s.Models;
using Redoubt.Core.Planning;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// One voluntary disruption at a time for Redis, and never below what the Sentinels need to agree on a failover.
/// Both allow at least one eviction, so a node drain is never blocked for good (the reference operator's fixed
/// minAvailable of 2 blocked drains of two-node resources).
/// </summary>
public static class DisruptionBudgets
{
    public static int RedisMinAvailable(int replicas) => Math.Max(replicas - 1, 0);

    /// <summary>A failover needs the quorum to agree the master is down and a majority of Sentinels to elect a leader.</summary>
    public static int SentinelMinAvailable(int sentinels, int quorum) =>
        Math.Max(Math.Min(Math.Max(quorum, sentinels / 2 + 1), sentinels - 1), 0);

    public static V1PodDisruptionBudget Redis(ResourcePlan plan, ObjectNames names) =>
        Build(plan, names, names.RedisDisruptionBudget, Labels.ComponentRedis, RedisMinAvailable(plan.Spec.Replicas));

    public static V1PodDisruptionBudget Sentinel(ResourcePlan plan, ObjectNames names) =>
        Build(plan, names, names.SentinelDisruptionBudget, Labels.ComponentSentinel,
            SentinelMinAvailable(plan.Spec.Sentinel.Replicas, plan.Spec.Sentinel.Quorum));

    private static V1PodDisruptionBudget Build(ResourcePlan plan, ObjectNames names, string name, string component, int minAvailable) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = ObjectMetadata.Create(name, plan.Namespace, Labels.ForComponent(names, component), OwnerReferences.For(plan)),
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable,
            Selector = new V1LabelSelector { MatchLabels = Labels.Selector(names, component) },
        },
    };
}
