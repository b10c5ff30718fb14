namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>Label keys and values, the selector ones as the reference operator sets them so existing dashboards and Services keep working.</summary>
public static class Labels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string Instance = "app.kubernetes.io/instance";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string PartOfValue = "redis-failover";
    public const string ManagedByValue = "redoubt";

    /// <summary>The resource a generated object belongs to; the watches map objects back to their resource by it.</summary>
    public const string Resource = "redoubt.io/resource";

    public const string Role = "redisfailovers-role";
    public const string RoleMaster = "master";
    public const string RoleReplica = "slave";

    public const string ComponentRedis = "redis";
    public const string ComponentSentinel = "sentinel";

    public const string ZoneTopologyKey = "topology.kubernetes.io/zone";
    public const string HostTopologyKey = "kubernetes.io/hostname";

    /// <summary>Every object of a resource carries these; the watches select on <see cref="ManagedBy"/>.</summary>
    public static Dictionary<string, string> Common(ObjectNames names) => new()
    {
        [Instance] = names.Instance,
        [ManagedBy] = ManagedByValue,
        [Resource] = names.ResourceName,
    };

    /// <summary>The selector of one component's pods: the reference operator's three labels.</summary>
    public static Dictionary<string, string> Selector(ObjectNames names, string component) => new()
    {
        [Name] = names.Instance,
        [Component] = component,
        [PartOf] = PartOfValue,
    };

    public static Dictionary<string, string> ForComponent(ObjectNames names, string component)
    {
        var labels = Common(names);
        foreach (var (key, value) in Selector(names, component))
        {
            labels[key] = value;
        }

        return labels;
    }
}
