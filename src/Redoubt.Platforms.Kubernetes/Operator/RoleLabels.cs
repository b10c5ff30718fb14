using k8s;
using k8s.Models;
using Redoubt.Core.Platform;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// Keeps the pods' <c>redisfailovers-role</c> labels equal to what the last pass observed, so the master Service
/// selects exactly the master. A node that is neither an attached replica nor the master (parked, unreachable,
/// loading) carries no role label and is in neither Service.
/// </summary>
public sealed class RoleLabels(IKubernetes client)
{
    /// <summary>The label value each pod should carry (null: none). Pure.</summary>
    public static Dictionary<string, string?> Desired(RedisStatus status, IEnumerable<V1Pod> pods)
    {
        var wanted = new Dictionary<string, string?>();
        foreach (var pod in pods.Where(p => PodChanges.KindOf(p) == NodeKind.Redis))
        {
            var address = string.IsNullOrEmpty(pod.Status?.PodIP) ? null : Endpoints.Format(pod.Status.PodIP, Ports.Redis);
            var node = status.Nodes.FirstOrDefault(n => n.Name == pod.Metadata.Name)
                ?? status.Nodes.FirstOrDefault(n => address is not null && n.Address == address);
            wanted[pod.Metadata.Name] = pod.Metadata.DeletionTimestamp is not null ? null : node?.Role switch
            {
                "master" => Labels.RoleMaster,
                "replica" => Labels.RoleReplica,
                _ => null,
            };
        }

        return wanted;
    }

    /// <summary>
    /// The label changes a promotion calls for at once, before a pass observes it: every other Redis pod that carries
    /// the master label loses it (first), then <paramref name="master"/> gains it unless it is being deleted. Replica
    /// labels are the next pass's. Pure.
    /// </summary>
    public static List<(V1Pod Pod, string? Role)> AfterPromotion(IEnumerable<V1Pod> pods, string master)
    {
        var redis = pods.Where(p => PodChanges.KindOf(p) == NodeKind.Redis).ToList();
        var changes = redis
            .Where(p => p.Metadata.Name != master && p.Metadata.Labels.Get(Labels.Role) == Labels.RoleMaster)
            .Select(p => (p, (string?)null))
            .ToList();
        if (redis.FirstOrDefault(p => p.Metadata.Name == master) is { } promoted && promoted.Metadata.DeletionTimestamp is null
            && promoted.Metadata.Labels.Get(Labels.Role) != Labels.RoleMaster)
        {
            changes.Add((promoted, Labels.RoleMaster));
        }

        return changes;
    }

    /// <summary>
    /// Patches the pods whose label is wrong: every demotion before any promotion, so the master Service may
    /// briefly select no pod, never two.
    /// </summary>
    public async Task ApplyAsync(RedisStatus status, IReadOnlyCollection<V1Pod> pods, CancellationToken ct)
    {
        var wanted = Desired(status, pods);
        var changes = pods
            .Where(p => wanted.ContainsKey(p.Metadata.Name) && p.Metadata.Labels.Get(Labels.Role) != wanted[p.Metadata.Name])
            .OrderBy(p => wanted[p.Metadata.Name] == Labels.RoleMaster ? 1 : 0)
            .ToList();
        foreach (var pod in changes)
        {
            await SetAsync(pod, wanted[pod.Metadata.Name], ct);
        }
    }

    public async Task SetAsync(V1Pod pod, string? role, CancellationToken ct)
    {
        var patch = new Dictionary<string, object>
        {
            ["metadata"] = new Dictionary<string, object> { ["labels"] = new Dictionary<string, string?> { [Labels.Role] = role } },
        };
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
    }
}
