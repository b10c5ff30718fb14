using System.Globalization;
using k8s.Models;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// Limits and requests the way the reference platform derives them (cozy-lib's <c>resources.sanitize</c>): the
/// preset or <c>resources</c> give the limits; the memory request equals the limit, and the CPU request is the
/// limit divided by the CPU allocation ratio, 10 by default.
/// </summary>
public static class ContainerResources
{
    public const int CpuAllocationRatio = 10;

    public static V1ResourceRequirements For(ComputeResources resources) => new()
    {
        Limits = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(resources.Cpu),
            ["memory"] = new(resources.Memory),
        },
        Requests = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(CpuRequest(resources.CpuMillis)),
            ["memory"] = new(resources.Memory),
        },
    };

    /// <summary>Fixed small resources for the helper containers (config copy, exporter).</summary>
    public static V1ResourceRequirements Fixed(string cpuRequest, string cpuLimit, string memoryRequest, string memoryLimit) => new()
    {
        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuLimit), ["memory"] = new(memoryLimit) },
        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuRequest), ["memory"] = new(memoryRequest) },
    };

    internal static string CpuRequest(long cpuLimitMillis) =>
        Math.Max(1, cpuLimitMillis / CpuAllocationRatio).ToString(CultureInfo.InvariantCulture) + "m";
}
