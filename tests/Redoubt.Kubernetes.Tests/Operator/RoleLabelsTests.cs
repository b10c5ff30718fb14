using k8s.Models;
using Redoubt.Platforms.Kubernetes.Manifests;
using Redoubt.Platforms.Kubernetes.Operator;

namespace Redoubt.Kubernetes.Tests.Operator;

/// <summary>The master Service follows a promotion at once, before the next pass: never two masters selected.</summary>
public sealed class RoleLabelsTests
{
    private static V1Pod Pod(string name, string? role, bool deleting = false, string component = "redis")
    {
        var labels = new Dictionary<string, string> { [Labels.Component] = component, [Labels.Resource] = "example" };
        if (role is not null)
        {
            labels[Labels.Role] = role;
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = labels, DeletionTimestamp = deleting ? DateTime.UtcNow : null },
        };
    }

    private static string Describe(List<(V1Pod Pod, string? Role)> changes) =>
        string.Join(", ", changes.Select(c => $"{c.Pod.Metadata.Name}={c.Role ?? "-"}"));

    [Fact]
    public void TheOldMasterLosesItsLabelBeforeTheNewOneGainsIt()
    {
        var pods = new[] { Pod("rfr-0", Labels.RoleMaster), Pod("rfr-1", Labels.RoleReplica), Pod("rfr-2", Labels.RoleReplica) };

        Assert.Equal("rfr-0=-, rfr-1=master", Describe(RoleLabels.AfterPromotion(pods, "rfr-1")));
    }

    [Fact]
    public void NothingChangesWhenTheLabelsAlreadyFollow()
    {
        var pods = new[] { Pod("rfr-0", null), Pod("rfr-1", Labels.RoleMaster) };

        Assert.Empty(RoleLabels.AfterPromotion(pods, "rfr-1"));
    }

    [Fact]
    public void APodBeingDeletedIsNotMadeMasterAndSentinelsAreLeftAlone()
    {
        var pods = new[] { Pod("rfr-0", Labels.RoleMaster), Pod("rfr-1", null, deleting: true), Pod("rfs-a", Labels.RoleMaster, component: "sentinel") };

        Assert.Equal("rfr-0=-", Describe(RoleLabels.AfterPromotion(pods, "rfr-1")));
    }
}
