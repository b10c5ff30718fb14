namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>What an operator needs on the cluster from deploy/: the CRD, its namespace, ServiceAccount and RBAC.</summary>
internal static class OperatorInstall
{
    public const string Namespace = "redoubt-system";
    public const string ServiceAccount = "redoubt-operator";
    public const string Lease = "redoubt-operator";

    /// <summary>Installs them as the admin; returns a kubeconfig of the operator's ServiceAccount, with exactly deploy/rbac.yaml's rights.</summary>
    public static async Task<string> InstallAsync(TestCluster cluster, CancellationToken ct)
    {
        using (var admin = cluster.AdminClient())
        {
            await RedisCrd.EnsureInstalledAsync(admin, ct);
        }

        var applied = await Kubectl.RunAsync(cluster.AdminKubeconfig,
            ["apply", "--server-side", "--field-manager=redoubt-tests", "-f", TestPaths.Deploy("namespace.yaml"), "-f", TestPaths.Deploy("rbac.yaml")], ct);
        if (applied.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl apply of deploy/namespace.yaml and deploy/rbac.yaml failed: {applied}");
        }

        return await cluster.ServiceAccountKubeconfigAsync(Namespace, ServiceAccount, ct);
    }
}
