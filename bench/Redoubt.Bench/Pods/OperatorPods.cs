using System.Diagnostics;
using System.Formats.Tar;
using k8s;
using k8s.Models;
using Redoubt.Kubernetes.Cluster.Tests;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;

namespace Redoubt.Bench.Pods;

/// <summary>
/// The operator as users deploy it: deploy/operator.yaml's Deployment (two replicas, one leading through the Lease,
/// its security context, its ServiceAccount's token mounted by the kubelet) running an image of this checkout. The
/// Dockerfile's base images come from a registry this machine cannot reach, so the image is the Redis pods' Debian
/// root with `redoubt` published self-contained into /app, and the Dockerfile's user, environment and entry point.
/// Only what a cluster without a registry requires is changed in the manifest: the image (local, never pulled), and the
/// Redis and exporter images the operator gives its pods. The pods reach the API server through the <c>kubernetes</c>
/// Service (kube-proxy), and serve the dashboard with the token of the Secret the manifest mounts.
/// </summary>
internal sealed class OperatorPods
{
    public const string Image = "redoubt.local/operator:bench";
    private const string Selector = "app.kubernetes.io/name=redoubt-operator";
    private const string Deployment = "redoubt-operator";

    private readonly PodNodes _nodes;

    private OperatorPods(PodNodes nodes, string dashboardToken)
    {
        _nodes = nodes;
        DashboardToken = dashboardToken;
    }

    /// <summary>The token of the Secret redoubt-dashboard, which the run creates before the operator starts.</summary>
    public string DashboardToken { get; }

    /// <summary>Builds the operator's image into every node's Docker, creates the dashboard's Secret and starts deploy/operator.yaml.</summary>
    public static async Task<OperatorPods> DeployAsync(TestCluster cluster, PodNodes nodes, CancellationToken ct)
    {
        var pods = new OperatorPods(nodes, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        await pods.BuildImageAsync(cluster.Directory, nodes.Any.Images, ct).ConfigureAwait(false);
        using var admin = cluster.AdminClient();
        // As deploy/operator.yaml says to turn the dashboard on.
        await admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = Redoubt.Kubernetes.OperatorDashboardToken.DeployedSecret },
            StringData = new Dictionary<string, string> { ["token"] = pods.DashboardToken },
        }, OperatorInstall.Namespace, cancellationToken: ct).ConfigureAwait(false);
        var deployment = KubernetesYaml.Deserialize<V1Deployment>(await File.ReadAllTextAsync(TestPaths.Deploy("operator.yaml"), ct).ConfigureAwait(false));
        var container = deployment.Spec.Template.Spec.Containers.Single(c => c.Name == "operator");
        container.Image = Image;
        container.ImagePullPolicy = "Never";
        container.Args = [.. container.Args, $"--redis-image=v7={nodes.Any.RedisImageName}", $"--exporter-image={nodes.Any.ExporterImageName}"];
        await admin.AppsV1.CreateNamespacedDeploymentAsync(deployment, OperatorInstall.Namespace, cancellationToken: ct).ConfigureAwait(false);
        return pods;
    }

    /// <summary>The pod holding the Lease once it and every other replica are Running and Ready.</summary>
    public async Task<string> WaitLeaderAsync(IKubernetes admin, CancellationToken ct)
    {
        var last = "no pod yet";
        return await Poll.UntilAsync("the operator's pods to run and one to hold the Lease", async () =>
        {
            var pods = await PodsAsync(admin, ct).ConfigureAwait(false);
            if (await ProblemAsync(pods, ct).ConfigureAwait(false) is { } problem)
            {
                throw new InvalidOperationException(problem);
            }

            last = string.Join(", ", pods.Select(p => $"{p.Metadata.Name} {p.Status?.Phase}"));
            if (pods.Count < 2 || !pods.All(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true))
            {
                return null;
            }

            V1Lease lease;
            try
            {
                lease = await admin.CoordinationV1.ReadNamespacedLeaseAsync(OperatorInstall.Lease, OperatorInstall.Namespace, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }

            var holder = lease.Spec?.HolderIdentity;
            return pods.Any(p => p.Metadata.Name == holder) ? holder : null;
        }, TimeSpan.FromMinutes(3), ct, () => $"pods: {last}").ConfigureAwait(false);
    }

    /// <summary>
    /// The leader's dashboard on its pod address, with the token from the mounted Secret: refused without it (401), and
    /// with it <c>/api/resources</c> lists <paramref name="resource"/>.
    /// </summary>
    public async Task<string> DashboardAsync(IKubernetes admin, string leader, string ns, string resource, CancellationToken ct)
    {
        var pod = await admin.CoreV1.ReadNamespacedPodAsync(leader, OperatorInstall.Namespace, cancellationToken: ct).ConfigureAwait(false);
        var url = new Uri($"http://{pod.Status.PodIP}:9480/api/resources");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using (var anonymous = await http.GetAsync(url, ct).ConfigureAwait(false))
        {
            if (anonymous.StatusCode != System.Net.HttpStatusCode.Unauthorized)
            {
                throw new InvalidOperationException($"the operator's dashboard at {url} answered {(int)anonymous.StatusCode} without its token; it must refuse (401)");
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DashboardToken);
        using var answer = await http.SendAsync(request, ct).ConfigureAwait(false);
        var body = await answer.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!answer.IsSuccessStatusCode || !body.Contains($"\"{resource}\"", StringComparison.Ordinal) || !body.Contains($"\"{ns}\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the operator's dashboard at {url} answered {(int)answer.StatusCode} with its token and does not list {ns}/{resource}");
        }

        return $"the leader's dashboard ({url}) refuses a request without the token (401) and lists {ns}/{resource} with the token of the Secret {Redoubt.Kubernetes.OperatorDashboardToken.DeployedSecret} mounted into its pod";
    }

    /// <summary>
    /// Makes an operator pod on <paramref name="nodeName"/> the leader. With two replicas over three zones one zone
    /// has none: then the Deployment is scaled to three (its spread puts the third there). The leader elsewhere is
    /// deleted (it releases the Lease as it shuts down, and the Deployment replaces it). Returns the leader then, once
    /// every replica is Ready again.
    /// </summary>
    public async Task<string> LeadFromAsync(IKubernetes admin, string nodeName, CancellationToken ct)
    {
        var leader = await WaitLeaderAsync(admin, ct).ConfigureAwait(false);
        var pods = await PodsAsync(admin, ct).ConfigureAwait(false);
        if (!pods.Any(p => p.Spec.NodeName == nodeName))
        {
            var patch = new V1Patch("{\"spec\":{\"replicas\":3}}", V1Patch.PatchType.MergePatch);
            await admin.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, Deployment, OperatorInstall.Namespace, cancellationToken: ct).ConfigureAwait(false);
            await Poll.UntilAsync("a third operator pod to be scheduled", async () => (await PodsAsync(admin, ct).ConfigureAwait(false)).Count(p => p.Spec.NodeName is not null) >= 3 ? "scheduled" : null,
                TimeSpan.FromMinutes(1), ct).ConfigureAwait(false);
            leader = await WaitLeaderAsync(admin, ct).ConfigureAwait(false);
            pods = await PodsAsync(admin, ct).ConfigureAwait(false);
        }

        if (pods.Any(p => p.Metadata.Name == leader && p.Spec.NodeName == nodeName) || !pods.Any(p => p.Spec.NodeName == nodeName && p.Metadata.DeletionTimestamp is null))
        {
            return leader;
        }

        await admin.CoreV1.DeleteNamespacedPodAsync(leader, OperatorInstall.Namespace, cancellationToken: ct).ConfigureAwait(false);
        return await Poll.UntilAsync($"the operator pod on {nodeName} to lead after {leader} was deleted", async () =>
        {
            var now = await WaitLeaderAsync(admin, ct).ConfigureAwait(false);
            return now != leader ? now : null;
        }, TimeSpan.FromMinutes(3), ct).ConfigureAwait(false);
    }

    /// <summary>A restarted or failed operator container, with the end of its log; null while they all run.</summary>
    public async Task<string?> ProblemAsync(IKubernetes admin, CancellationToken ct) =>
        await ProblemAsync(await PodsAsync(admin, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    private static async Task<IList<V1Pod>> PodsAsync(IKubernetes admin, CancellationToken ct) =>
        (await admin.CoreV1.ListNamespacedPodAsync(OperatorInstall.Namespace, labelSelector: Selector, cancellationToken: ct).ConfigureAwait(false)).Items;

    private async Task<string?> ProblemAsync(IList<V1Pod> pods, CancellationToken ct)
    {
        // A pod being deleted (one the run deleted) ends its container on purpose.
        foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            var status = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "operator");
            if (status is not null && (status.RestartCount > 0 || status.State?.Terminated is not null))
            {
                return $"the operator container of pod {pod.Metadata.Name} exited (restarts: {status.RestartCount}, {status.LastState?.Terminated?.Reason ?? status.State?.Terminated?.Reason}); the end of its log:\n{await LogTailAsync(pod, ct).ConfigureAwait(false)}";
            }
        }

        return null;
    }

    /// <summary>The end of an operator pod's log, as Docker keeps it (the kubelet's log API needs credentials this run does not give the API server).</summary>
    private Task<string> LogTailAsync(V1Pod pod, CancellationToken ct) => LogAsync(pod, ["--tail", "40"], ct);

    /// <summary>The lines of every operator pod's log that contain <paramref name="text"/>.</summary>
    public async Task<List<string>> LogLinesAsync(IKubernetes admin, string text, CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var pod in await PodsAsync(admin, ct).ConfigureAwait(false))
        {
            lines.AddRange((await LogAsync(pod, [], ct).ConfigureAwait(false)).Split('\n').Where(l => l.Contains(text, StringComparison.Ordinal)));
        }

        return lines;
    }

    private async Task<string> LogAsync(V1Pod pod, IReadOnlyList<string> options, CancellationToken ct)
    {
        if (pod.Spec?.NodeName is not { } nodeName)
        {
            return "(not scheduled)";
        }

        var node = _nodes.Named(nodeName);
        var containers = await node.DockerAsync(["ps", "-aq", "--filter", $"label=io.kubernetes.pod.namespace={OperatorInstall.Namespace}",
            "--filter", $"label=io.kubernetes.pod.name={pod.Metadata.Name}", "--filter", "label=io.kubernetes.container.name=operator"], ct).ConfigureAwait(false);
        var latest = containers.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (latest is null)
        {
            return "(no container)";
        }

        var logs = await node.DockerAsync(["logs", .. options, latest], ct, check: false).ConfigureAwait(false);
        return logs.Output + logs.Error;
    }

    /// <summary>Where <see cref="PublishAsync"/> puts the operator; the image is built from it inside the run's namespace.</summary>
    private static string Published => Path.Combine(Path.GetTempPath(), "redoubt-bench-operator", "app");

    /// <summary>
    /// Publishes this checkout's `redoubt` self-contained for linux-x64 (ReadyToRun), before the run enters its network
    /// namespace: the restore may need NuGet, which that namespace cannot reach.
    /// </summary>
    public static async Task PublishAsync(CancellationToken ct)
    {
        var root = Path.GetDirectoryName(Published)!;
        var clock = Stopwatch.StartNew();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "publish", Path.Combine(TestPaths.RepositoryRoot, "src", "Redoubt"), "-c", "Release", "-r", "linux-x64", "--self-contained", "true",
            "-p:PublishReadyToRun=true", "--artifacts-path", Path.Combine(root, "build"), "-o", Published, "-v", "quiet", "-nologo",
        })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (Directory.Exists(Published))
        {
            Directory.Delete(Published, recursive: true);
        }

        using var publish = Process.Start(info) ?? throw new InvalidOperationException("cannot run dotnet publish");
        var output = publish.StandardOutput.ReadToEndAsync(ct);
        var error = publish.StandardError.ReadToEndAsync(ct);
        await publish.WaitForExitAsync(ct).ConfigureAwait(false);
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of the operator failed: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }

        Console.WriteLine($"pods: `redoubt` published self-contained for the operator's image in {clock.Elapsed.TotalSeconds:F0} s");
    }

    private async Task BuildImageAsync(string directory, PodImages images, CancellationToken ct)
    {
        var app = Published;
        if (!File.Exists(Path.Combine(app, "redoubt")))
        {
            throw new InvalidOperationException($"no published operator in {app}: the bench publishes it before it enters the run's namespace");
        }

        // The Redis root with /app added: one layer for `docker import`, which needs no registry and no builder.
        var tar = Path.Combine(directory, "operator-image.tar");
        await using (var target = File.Create(tar))
        await using (var writer = new TarWriter(target, TarEntryFormat.Pax, leaveOpen: false))
        {
            await using (var source = File.OpenRead(images.RedisRootfs))
            await using (var reader = new TarReader(source))
            {
                while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
                {
                    await writer.WriteEntryAsync(entry, ct).ConfigureAwait(false);
                }
            }

            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "app/") { Mode = (UnixFileMode)0b111_101_101 }, ct).ConfigureAwait(false);
            foreach (var file in Directory.EnumerateFiles(app, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                await writer.WriteEntryAsync(file, "app/" + Path.GetRelativePath(app, file).Replace('\\', '/'), ct).ConfigureAwait(false);
            }
        }

        // As the Dockerfile says: its environment, a fixed non-root user, `redoubt operator` by default. Into every
        // node's Docker: the scheduler places the two pods where it likes.
        await Task.WhenAll(_nodes.All.Select(node => node.DockerAsync(["import",
            "--change", "ENV DOTNET_EnableDiagnostics=0 DOTNET_NOLOGO=1 DOTNET_GCgen0size=0x400000",
            "--change", "WORKDIR /app", "--change", "USER 65532:65532",
            "--change", "ENTRYPOINT [\"/app/redoubt\"]", "--change", "CMD [\"operator\"]",
            tar, Image], ct))).ConfigureAwait(false);
        File.Delete(tar);
        Console.WriteLine($"pods: operator image {Image} imported into {_nodes.All.Count} nodes (the published `redoubt` on the Redis pods' Debian root)");
    }
}
