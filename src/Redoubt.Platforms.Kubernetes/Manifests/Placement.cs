using k8s.Models;
using Redoubt.Core.Planning;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// Spread over zones, then hosts. When the resource lists its zones, pods are confined to them and the zone spread
/// is a hard rule; otherwise it is a preference, so clusters whose nodes carry no zone label still schedule.
/// </summary>
public static class Placement
{
    public static IList<V1TopologySpreadConstraint> SpreadConstraints(ResourcePlan plan, Dictionary<string, string> selector) =>
    [
        new V1TopologySpreadConstraint
        {
            MaxSkew = 1,
            TopologyKey = Labels.ZoneTopologyKey,
            WhenUnsatisfiable = HasZones(plan) ? "DoNotSchedule" : "ScheduleAnyway",
            LabelSelector = new V1LabelSelector { MatchLabels = selector },
        },
        new V1TopologySpreadConstraint
        {
            MaxSkew = 1,
            TopologyKey = Labels.HostTopologyKey,
            WhenUnsatisfiable = "ScheduleAnyway",
            LabelSelector = new V1LabelSelector { MatchLabels = selector },
        },
    ];

    public static V1Affinity? Affinity(ResourcePlan plan) =>
        HasZones(plan)
            ? new V1Affinity
            {
                NodeAffinity = new V1NodeAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                    {
                        NodeSelectorTerms =
                        [
                            new V1NodeSelectorTerm
                            {
                                MatchExpressions =
                                [
                                    new V1NodeSelectorRequirement { Key = Labels.ZoneTopologyKey, OperatorProperty = "In", Values = [.. plan.RequestedZones!] },
                                ],
                            },
                        ],
                    },
                },
            }
            : null;

    private static bool HasZones(ResourcePlan plan) => plan.RequestedZones is { Count: > 0 };
}
