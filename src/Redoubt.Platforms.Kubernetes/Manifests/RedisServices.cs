using k8s.Models;
using Redoubt.Core.Planning;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>The Services of a resource: master and replicas by role label, Sentinels, the StatefulSet's headless one, and the external one.</summary>
public static class RedisServices
{
    public static V1Service Headless(ResourcePlan plan, ObjectNames names, bool exporter)
    {
        var service = Build(plan, names, names.RedisHeadlessService, Labels.ComponentRedis, Labels.Selector(names, Labels.ComponentRedis), Ports.RedisName, Ports.Redis);
        service.Spec.ClusterIP = "None";
        // Peers and the healer need every pod's address, ready or not (a parked replica is not "ready" to serve).
        service.Spec.PublishNotReadyAddresses = true;
        if (exporter)
        {
            service.Spec.Ports.Add(new V1ServicePort { Name = Ports.ExporterName, Port = Ports.Exporter, TargetPort = Ports.ExporterName, Protocol = "TCP" });
        }

        return service;
    }

    public static V1Service Master(ResourcePlan plan, ObjectNames names) =>
        ByRoleLabelAlone(Build(plan, names, names.MasterService, Labels.ComponentRedis, RoleSelector(names, Labels.RoleMaster), Ports.RedisName, Ports.Redis));

    /// <summary>
    /// The master label is the operator's word, set when it sees a promotion and removed when it sees the master go;
    /// the kubelet's readiness lags it. A replica promoted soon after its container (re)started may not have passed its
    /// TCP probe yet, the next one up to 5 s away: gated on readiness, the master Service then named no master for
    /// that long (2.7-4.1 s after a deleted master pod, in the tier-2 run).
    /// </summary>
    private static V1Service ByRoleLabelAlone(V1Service service)
    {
        service.Spec.PublishNotReadyAddresses = true;
        return service;
    }

    public static V1Service Replicas(ResourcePlan plan, ObjectNames names) =>
        Build(plan, names, names.ReplicaService, Labels.ComponentRedis, RoleSelector(names, Labels.RoleReplica), Ports.RedisName, Ports.Redis);

    public static V1Service Sentinel(ResourcePlan plan, ObjectNames names) =>
        Build(plan, names, names.SentinelService, Labels.ComponentSentinel, Labels.Selector(names, Labels.ComponentSentinel), Ports.SentinelName, Ports.Sentinel);

    /// <summary>The reference platform's LoadBalancer for <c>external: true</c>, keeping client source addresses.</summary>
    public static V1Service External(ResourcePlan plan, ObjectNames names)
    {
        var service = ByRoleLabelAlone(Build(plan, names, names.ExternalService, Labels.ComponentRedis, RoleSelector(names, Labels.RoleMaster), Ports.RedisName, Ports.Redis));
        service.Spec.Type = "LoadBalancer";
        service.Spec.ExternalTrafficPolicy = "Local";
        return service;
    }

    public static Dictionary<string, string> RoleSelector(ObjectNames names, string role)
    {
        var selector = Labels.Selector(names, Labels.ComponentRedis);
        selector[Labels.Role] = role;
        return selector;
    }

    private static V1Service Build(ResourcePlan plan, ObjectNames names, string name, string component, Dictionary<string, string> selector, string portName, int port) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = ObjectMetadata.Create(name, plan.Namespace, Labels.ForComponent(names, component), OwnerReferences.For(plan)),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = selector,
            Ports = [new V1ServicePort { Name = portName, Port = port, TargetPort = portName, Protocol = "TCP" }],
        },
    };
}
