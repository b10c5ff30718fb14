using System.Diagnostics.CodeAnalysis;

namespace Redoubt.Model;

/// <summary>
/// The sizes <c>resourcesPreset</c> can name: Cozystack's legacy names and the instance types
/// <c>&lt;series&gt;.&lt;size&gt;</c>, where the size sets the CPU and the series the memory per CPU.
/// </summary>
public static class Presets
{
    private const long MiB = 1024 * 1024;

    private static readonly (string Name, long CpuMillis, long MemoryMiB)[] Legacy =
    [
        ("nano", 250, 128),
        ("micro", 500, 256),
        ("small", 1000, 512),
        ("medium", 1000, 1024),
        ("large", 2000, 2048),
        ("xlarge", 4000, 4096),
        ("2xlarge", 8000, 8192),
    ];

    private static readonly (string Name, long MiBPerCpu)[] Series =
    [
        ("t1", 512),
        ("c1", 1024),
        ("s1", 2048),
        ("u1", 4096),
        ("m1", 8192),
    ];

    private static readonly (string Name, long CpuMillis)[] Sizes =
    [
        ("nano", 250),
        ("micro", 500),
        ("small", 1000),
        ("medium", 2000),
        ("large", 4000),
        ("xlarge", 8000),
        ("2xlarge", 16000),
        ("4xlarge", 32000),
    ];

    private static readonly (string Name, ComputeResources Resources)[] All =
    [
        .. Legacy.Select(p => (p.Name, Resources(p.CpuMillis, p.MemoryMiB * MiB))),
        // Exact: every size is a multiple of 250m and every ratio a multiple of 512Mi per CPU.
        .. Series.SelectMany(s => Sizes.Select(z => ($"{s.Name}.{z.Name}", Resources(z.CpuMillis, z.CpuMillis * s.MiBPerCpu * MiB / 1000)))),
    ];

    private static readonly Dictionary<string, ComputeResources> ByName =
        All.ToDictionary(p => p.Name, p => p.Resources, StringComparer.Ordinal);

    /// <summary>Every preset name, legacy names first, then the instance types series by series.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(p => p.Name)];

    public static bool TryGet(string name, [MaybeNullWhen(false)] out ComputeResources resources) =>
        ByName.TryGetValue(name, out resources);

    private static ComputeResources Resources(long cpuMillis, long memoryBytes) =>
        new(cpuMillis, memoryBytes, Quantity.FormatMillicores(cpuMillis), Quantity.FormatBytes(memoryBytes));
}
