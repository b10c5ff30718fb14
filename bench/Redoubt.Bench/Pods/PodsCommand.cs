using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Redoubt.Bench.Reporting;
using Redoubt.Bench.Scenarios;
using Redoubt.Bench.Writers;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;

namespace Redoubt.Bench.Pods;

/// <summary>
/// The operator on a real Kubernetes with real pods (tier 2 of the Kubernetes tests): etcd, kube-apiserver,
/// kube-controller-manager, kube-scheduler, kube-proxy, and three nodes in three zones (a kubelet and Docker each,
/// see <see cref="PodNodes"/>), all inside the network namespace this run created; the operator as
/// deploy/operator.yaml's two pods (an image of this checkout, see <see cref="OperatorPods"/>) with its
/// ServiceAccount's token and exactly deploy/rbac.yaml's rights; a Redis resource whose pods run a Redis image built
/// from Debian's packages, on claims bound to the nodes' local volumes. A writer finds the master through the
/// Sentinel Service (kube-proxy) as an application in the cluster does, while each fault runs, and after each the
/// bench checks how soon the <c>rfrm</c> Service's Endpoints name the new master alone, and that a connection
/// through that Service reaches it.
/// </summary>
internal sealed class PodsCommand(BenchOptions options, BenchHome home)
{
    private const string Namespace = "pods-bench";
    private const string ResourceName = "bench";
    private const string Instance = "redis-" + ResourceName;

    /// <summary>The resource's Redis pods (the backups part makes another resource in the namespace).</summary>
    private const string RedisPods = "app.kubernetes.io/component=redis,redoubt.io/resource=" + ResourceName;
    private static readonly Redoubt.Platforms.Kubernetes.Manifests.ObjectNames Names = new(ResourceName);
    private static readonly TimeSpan BackToReady = TimeSpan.FromMinutes(3);

    /// <summary>
    /// A rolling update restarts six pods one at a time, and kubelet 1.20 (dockershim) sometimes confirms a deleted
    /// pod's end only on its next sync a minute later ("No such container" in its log), so the StatefulSet recreates
    /// it only then: twice in one update was more than 3 minutes. The write gap and the loss are the figures; how long
    /// the update took is printed beside them.
    /// </summary>
    private static readonly TimeSpan RolledOut = TimeSpan.FromMinutes(8);

    private readonly List<PodEvent> _events = [];
    private long _nextSequence = 1;
    private readonly Dictionary<string, string> _firstAddresses = new(StringComparer.Ordinal);

    private enum Fault
    {
        ContainerKill,
        PodDelete,
        Freeze,
        ZoneFreeze,
        LeaderZoneFreeze,
        RollingUpdate,
    }

    private static readonly Dictionary<Fault, char> Letters = new() { [Fault.ContainerKill] = 'k', [Fault.PodDelete] = 'p', [Fault.Freeze] = 'f', [Fault.ZoneFreeze] = 'z', [Fault.LeaderZoneFreeze] = 'o', [Fault.RollingUpdate] = 'r' };

    /// <summary>The part of <c>--only</c> that runs the backup and restore Jobs (after the faults).</summary>
    private const char BackupsLetter = 'b';

    /// <summary>Whether <c>--only</c> names any part; none named runs them all.</summary>
    private static bool NamesAny(string parts) => parts.Any(c => c == BackupsLetter || Letters.ContainsValue(c));

    /// <summary>The faults <c>--only</c> names (k, p, f, z, o, r); every fault when it names no part.</summary>
    private static List<Fault> Selected(string parts) =>
        NamesAny(parts) ? [.. Letters.Where(l => parts.Contains(l.Value, StringComparison.Ordinal)).Select(l => l.Key)] : [.. Enum.GetValues<Fault>()];

    /// <summary>What --only names for this command; nothing (every part) when it was not given.</summary>
    private string Parts => options.OnlyGiven ? options.Parts : "";

    private static bool BackupsSelected(string parts) => !NamesAny(parts) || parts.Contains(BackupsLetter, StringComparison.Ordinal);

    private sealed record PodEvent(Fault Fault, int Run, double GapMs, int Lost, int Acknowledged, double? EndpointsMs, string From, string To, string Note);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        try
        {
            return await RunClusterAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            RemoveContainerLogs();
        }
    }

    /// <summary>
    /// The kubelet keeps container logs under /var/log/pods and /var/log/containers, paths it does not let one
    /// change; once it has stopped, this run's (every pod of its namespace) are removed.
    /// </summary>
    private static void RemoveContainerLogs()
    {
        foreach (var (directory, pattern) in new[] { ("/var/log/pods", $"{Namespace}_*"), ("/var/log/containers", $"*_{Namespace}_*") })
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var entry in Directory.EnumerateFileSystemEntries(directory, pattern))
            {
                try
                {
                    if (Directory.Exists(entry) && !new DirectoryInfo(entry).Attributes.HasFlag(FileAttributes.ReparsePoint))
                    {
                        Directory.Delete(entry, recursive: true);
                    }
                    else
                    {
                        File.Delete(entry);
                    }
                }
                catch (IOException)
                {
                    // Left for the next run.
                }
            }
        }
    }

    /// <summary>
    /// What the run needs from outside the machine, fetched before it enters its network namespace (which has no route
    /// out): the Kubernetes binaries and the pod images (Debian's mirror, once, cached), the operator's publish (NuGet).
    /// </summary>
    public static async Task PrepareAsync(CancellationToken ct)
    {
        // Not installed by the bench: the package's service, where one starts, adds iptables rules to the host's
        // namespace, and nothing here may change the host's firewall. The run starts a daemon of its own.
        if (!Dockerd.Any(File.Exists))
        {
            throw new InvalidOperationException("pods needs Debian's docker.io (dockerd, runc), which is not installed; install it (its own service, if it starts, is not used: stop it if you do not want its iptables rules)");
        }

        Console.WriteLine("pods: building or finding the Kubernetes binaries and the pod images (cached outside the checkout)");
        await KubeBinaries.EnsureAsync(Binaries, ct).ConfigureAwait(false);
        await PodImages.EnsureAsync(ct).ConfigureAwait(false);
        await OperatorPods.PublishAsync(ct).ConfigureAwait(false);
    }

    private static readonly string[] Binaries = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy"];
    private static readonly string[] Dockerd = ["/usr/sbin/dockerd", "/usr/bin/dockerd"];

    private async Task<int> RunClusterAsync(CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var binaries = await KubeBinaries.EnsureAsync(Binaries, ct).ConfigureAwait(false);
        await PodNodes.PrepareNetworkAsync(ct).ConfigureAwait(false);
        // Listening on every address of this run's own network namespace: pods reach it through the `kubernetes`
        // Service, which kube-proxy maps to the first node's address.
        await using var cluster = await TestCluster.StartAsync(ct, apiServerBindAddress: "0.0.0.0", advertiseAddress: PodNodes.ApiServerAddress.ToString()).ConfigureAwait(false);
        Console.WriteLine($"pods: API server ready at {cluster.ApiServerUrl} after {total.Elapsed.TotalSeconds:F0} s; logs in {cluster.Directory}");
        var nodes = await PodNodes.StartAsync(cluster, binaries, ct).ConfigureAwait(false);
        Console.WriteLine($"pods: nodes {string.Join(", ", nodes.All.Select(n => $"{n.Name} (zone {n.Zone}, {n.Address})"))} Ready, kube-proxy maps the kubernetes Service, after {total.Elapsed.TotalSeconds:F0} s (Redis {nodes.Any.RedisVersion} image {nodes.Any.RedisImageName})");
        try
        {
            await OperatorInstall.InstallAsync(cluster, ct).ConfigureAwait(false);
            var @operator = await OperatorPods.DeployAsync(cluster, nodes, ct).ConfigureAwait(false);
            using var admin = cluster.AdminClient();
            var leader = await @operator.WaitLeaderAsync(admin, ct).ConfigureAwait(false);
            Console.WriteLine($"pods: deploy/operator.yaml running, 2 operator pods Ready, {leader} holds the Lease, after {total.Elapsed.TotalSeconds:F0} s");
            await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: ct).ConfigureAwait(false);
            var applied = Stopwatch.StartNew();
            await ApplyAsync(cluster, "small", ct).ConfigureAwait(false);
            await WaitReadyAsync(admin, @operator, ct).ConfigureAwait(false);
            Console.WriteLine($"pods: resource {Namespace}/{ResourceName} Ready {applied.Elapsed.TotalSeconds:F1} s after the apply (3 Redis pods, 3 Sentinel pods)");
            Console.WriteLine($"pods: {await PlacementAsync(admin, ct).ConfigureAwait(false)}");
            Console.WriteLine($"pods: {await ExportersAsync(admin, ct).ConfigureAwait(false)}");
            Console.WriteLine($"pods: {await @operator.DashboardAsync(admin, leader, Namespace, ResourceName, ct).ConfigureAwait(false)}");

            var password = await PasswordAsync(admin, ct).ConfigureAwait(false);
            if (options.Tls)
            {
                Console.WriteLine($"pods: {await TrustAsync(admin, ct).ConfigureAwait(false)}");
            }

            var preset = "small";
            foreach (var fault in Selected(Parts))
            {
                for (var run = 1; run <= options.Runs; run++)
                {
                    if (fault == Fault.RollingUpdate)
                    {
                        preset = preset == "small" ? "medium" : "small";
                    }

                    var result = await RunEventAsync(cluster, admin, nodes, @operator, password, fault, run, preset, ct).ConfigureAwait(false);
                    _events.Add(result);
                    Console.WriteLine($"  {Describe(fault),-28} #{run}  gap {result.GapMs,6:F0} ms  lost {result.Lost} of {result.Acknowledged,-6}  rfrm Endpoints {Ms(result.EndpointsMs)} after the new master's first write  {result.From} -> {result.To}  {result.Note}");
                }
            }

            if (BackupsSelected(Parts))
            {
                var master = (await StatusAsync(admin, ct).ConfigureAwait(false)).MasterAddress ?? throw new InvalidOperationException("the resource names no master before the backups");
                foreach (var line in await new PodBackups(admin, Namespace, ResourceName).RunAsync(master, password, ct).ConfigureAwait(false))
                {
                    Console.WriteLine($"pods: {line}");
                }
            }

            if (await @operator.ProblemAsync(admin, ct).ConfigureAwait(false) is { } problem)
            {
                throw new InvalidOperationException($"during the run: {problem}");
            }

            if (options.Tls)
            {
                // What the healer did about replicas whose certificate did not name their new address yet.
                // The operator logs an action when decided ("Heal: ...") and when done.
                var held = (await @operator.LogLinesAsync(admin, "Sentinel must not promote it", ct).ConfigureAwait(false)).Count(l => l.Contains("Heal: ", StringComparison.Ordinal));
                var released = (await @operator.LogLinesAsync(admin, "Sentinel may promote it again", ct).ConfigureAwait(false)).Count(l => l.Contains("Heal: ", StringComparison.Ordinal));
                Console.WriteLine($"pods: {held} time(s) a replica was held back from Sentinel's choice until it served the certificate issued for its new address, {released} let go after");
            }

            // Every pod the faults replaced runs a new exporter, on a new pod address (and with TLS, a certificate issued for
            // it), in its zone, on its claim.
            Console.WriteLine($"pods: after the faults, {await PlacementAsync(admin, ct).ConfigureAwait(false)}");
            Console.WriteLine($"pods: after the faults, {await ExportersAsync(admin, ct).ConfigureAwait(false)}");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Console.Error.WriteLine($"pods: {e.Message}");
            Console.Error.WriteLine($"pods: the cluster's logs are kept in {cluster.Directory} until the next run");
            Environment.SetEnvironmentVariable("REDOUBT_TEST_KEEP", "1");
            PrintSummary(total.Elapsed);
            return 1;
        }
        finally
        {
            if (options.Keep)
            {
                Environment.SetEnvironmentVariable("REDOUBT_TEST_KEEP", "1");
            }
        }

        PrintSummary(total.Elapsed);
        return _events.Any(e => e.Lost > 0) ? 1 : 0;
    }

    private async Task<PodEvent> RunEventAsync(TestCluster cluster, IKubernetes admin, PodNodes nodes, OperatorPods @operator, string password, Fault fault, int run, string preset, CancellationToken ct)
    {
        var status = await StatusAsync(admin, ct).ConfigureAwait(false);
        var master = status.MasterAddress ?? throw new InvalidOperationException("the resource is Ready but its status names no master");
        await Keys.FlushAsync(master, password, ct).ConfigureAwait(false);

        // As an application in the cluster: the Sentinel Service's address (kube-proxy picks a Sentinel for each connection).
        var sentinels = new[] { await ServiceAddressAsync(admin, Names.SentinelService, ct).ConfigureAwait(false) };
        await using var writer = new RawSentinelWriter(sentinels, "mymaster", password, _nextSequence, longestRun: TimeSpan.FromMinutes(10));
        writer.Start();
        if (!await writer.Log.WaitForMoreAsync(500, TimeSpan.FromSeconds(30), ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"the writer through the Sentinel Service ({sentinels[0]}) acknowledged no 500 writes within 30 s before the fault (last failure: {writer.LastFailure ?? "none"})");
        }

        var masterPod = status.MasterPod;
        using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var endpoints = new EndpointsTimeline();
        var polling = endpoints.PollAsync(admin, Namespace, $"rfrm-{Instance}", stopPolling.Token);
        var faultAt = Stopwatch.GetTimestamp();
        var note = "";
        var masterMoves = fault != Fault.RollingUpdate;
        string? previousTemplate = null;
        switch (fault)
        {
            case Fault.ContainerKill:
                var killedOn = await nodes.HostingAsync(admin, Namespace, masterPod, ct).ConfigureAwait(false);
                var killed = await killedOn.ContainerIdAsync(Namespace, masterPod, "redis", ct).ConfigureAwait(false);
                faultAt = Stopwatch.GetTimestamp();
                await killedOn.DockerAsync(["kill", "--signal=KILL", killed], ct).ConfigureAwait(false);
                break;
            case Fault.PodDelete:
                faultAt = Stopwatch.GetTimestamp();
                await admin.CoreV1.DeleteNamespacedPodAsync(masterPod, Namespace, cancellationToken: ct).ConfigureAwait(false);
                break;
            case Fault.Freeze:
                var frozenOn = await nodes.HostingAsync(admin, Namespace, masterPod, ct).ConfigureAwait(false);
                var frozen = await frozenOn.ContainerIdAsync(Namespace, masterPod, "redis", ct).ConfigureAwait(false);
                faultAt = Stopwatch.GetTimestamp();
                await frozenOn.DockerAsync(["pause", frozen], ct).ConfigureAwait(false);
                // Frozen (the cgroup freezer, as SIGSTOP would) until the writer is served by another master, then thawed: the old
                // master must not take writes again.
                var moved = await WaitAsync(() => Task.FromResult(writer.Log.NodeAt(Stopwatch.GetTimestamp()) is { } at && at != master && writer.Log.AnyAfter(faultAt)), TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
                var thaw = await frozenOn.DockerAsync(["unpause", frozen], ct, check: false).ConfigureAwait(false);
                note = (moved ? "" : "no new master within 30 s while frozen; ") + (thaw.Exit == 0 ? "thawed after the failover" : "the frozen container was gone before the thaw (fenced)");
                break;
            case Fault.ZoneFreeze:
                // The master's whole node frozen, as a zone whose machines hang: its Redis and Sentinel, an operator pod
                // if one runs there (perhaps the leader), every container; the kubelet goes on. Thawed once the writer
                // is served by another master.
                var zone = await nodes.HostingAsync(admin, Namespace, masterPod, ct).ConfigureAwait(false);
                var hosted = (await admin.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={zone.Name}", cancellationToken: ct).ConfigureAwait(false)).Items
                    .Select(p => p.Metadata.Name).Order(StringComparer.Ordinal).ToList();
                var lease = await admin.CoordinationV1.ReadNamespacedLeaseAsync(OperatorInstall.Lease, OperatorInstall.Namespace, cancellationToken: ct).ConfigureAwait(false);
                (var frozenZone, faultAt) = await zone.FreezeAsync(ct).ConfigureAwait(false);
                var movedAway = await WaitAsync(() => Task.FromResult(writer.Log.NodeAt(Stopwatch.GetTimestamp()) is { } at && at != master && writer.Log.AnyAfter(faultAt)), TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
                var thawed = await zone.ThawAsync(frozenZone, ct).ConfigureAwait(false);
                var leader = hosted.Contains(lease.Spec?.HolderIdentity ?? "", StringComparer.Ordinal) ? ", the operator's leader among them" : "";
                note = $"zone {zone.Zone} frozen ({string.Join(", ", hosted.Where(h => !h.StartsWith("rfr-", StringComparison.Ordinal) || h == masterPod))}{leader})"
                    + (movedAway ? "" : "; no new master within 60 s while frozen")
                    + (thawed ? "; thawed after the failover" : "; thawed after the failover, the master's pod was replaced by then (fenced)");
                break;
            case Fault.LeaderZoneFreeze:
                (note, masterMoves, faultAt) = await FreezeLeaderZoneAsync(admin, nodes, @operator, masterPod, ct).ConfigureAwait(false);
                break;
            case Fault.RollingUpdate:
                previousTemplate = await TemplateHashAsync(admin, ct).ConfigureAwait(false);
                faultAt = Stopwatch.GetTimestamp();
                await ApplyAsync(cluster, preset, ct).ConfigureAwait(false);
                note = $"resourcesPreset -> {preset}";
                break;
        }

        // Back to normal: Ready again, every Redis pod on the current template for a rolling update, and 500 more writes.
        // A failure moves the master: until the status names another, it may still be the one from before the fault.
        var certificateWait = await WaitReadyAsync(admin, @operator, ct, rolledFrom: previousTemplate, movedFrom: masterMoves ? master : null).ConfigureAwait(false);
        if (fault == Fault.RollingUpdate)
        {
            note += $", every pod rolled in {Stopwatch.GetElapsedTime(faultAt).TotalSeconds:F0} s";
        }

        if (certificateWait > TimeSpan.Zero)
        {
            note = (note.Length > 0 ? note + "; " : "") + $"the switchover waited {certificateWait.TotalSeconds:F0} s for a replica's certificate";
        }

        if (!await writer.Log.WaitForMoreAsync(500, TimeSpan.FromSeconds(60), ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"{Describe(fault)} #{run}: the resource is Ready again but the writer acknowledged no 500 writes within 60 s (last failure: {writer.LastFailure ?? "none"})");
        }

        var after = await StatusAsync(admin, ct).ConfigureAwait(false);
        var newMaster = after.MasterAddress ?? throw new InvalidOperationException("Ready again but the status names no master");
        await endpoints.UntilOnlyAsync(newMaster.Split(':')[0], TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        await stopPolling.CancelAsync().ConfigureAwait(false);
        await polling.ConfigureAwait(false);
        var endpointsMs = endpoints.LagAfter(newMaster.Split(':')[0], faultAt, writer.Log.FirstOnAfter(newMaster, faultAt));
        await writer.StopAsync().ConfigureAwait(false);
        await MasterServiceReachesAsync(admin, newMaster, password, ct).ConfigureAwait(false);
        _nextSequence = writer.NextSequence + 1;

        // A pod a fault replaced comes back on another address; with TLS its certificate must name the new one.
        foreach (var (pod, address) in status.Addresses)
        {
            _firstAddresses.TryAdd(pod, address);
        }

        if (_firstAddresses.TryGetValue(after.MasterPod, out var first) && first != newMaster)
        {
            note = (note.Length > 0 ? note + "; " : "") + $"new master on an address its pod got during the run (was {first})";
        }

        var acknowledged = writer.Log.Sequences();
        var lost = await Keys.MissingAsync(newMaster, password, acknowledged, ct).ConfigureAwait(false);
        return new PodEvent(fault, run, writer.Log.GapAfterMs(faultAt), lost, acknowledged.Count, endpointsMs, $"{status.MasterPod} ({master})", $"{after.MasterPod} ({newMaster})", note);
    }

    private async Task ApplyAsync(TestCluster cluster, string preset, CancellationToken ct)
    {
        var yaml = $"""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: {ResourceName}
              namespace: {Namespace}
            spec:
              replicas: 3
              version: v7
              # Claims bind to the nodes' local volumes (the run's default StorageClass).
              size: {PodNodes.VolumeSize}
              zones: [{string.Join(", ", PodNodes.Zones)}]
              resourcesPreset: {preset}
              authEnabled: true
              tls:
                enabled: {(options.Tls ? "true" : "false")}

            """;
        var file = Path.Combine(home.Root, "pods-redis.yaml");
        await File.WriteAllTextAsync(file, yaml, ct).ConfigureAwait(false);
        var applied = await Kubectl.RunAsync(cluster.AdminKubeconfig, ["apply", "--server-side", "--field-manager=pods-bench", "-f", file], ct).ConfigureAwait(false);
        if (applied.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl apply of the Redis resource failed: {applied}");
        }
    }

    /// <param name="rolledFrom">For a rolling update, the template hash before it: the StatefulSet must have moved off it and every pod with it.</param>
    /// <param name="movedFrom">For a failure of the master, its address: the status must name another master.</param>
    /// <returns>How long the status said a switchover waited for a replica to serve the certificate issued for its address.</returns>
    private static async Task<TimeSpan> WaitReadyAsync(IKubernetes admin, OperatorPods @operator, CancellationToken ct, string? rolledFrom = null, string? movedFrom = null)
    {
        var last = "no status yet";
        long? waitStarted = null, waitEnded = null;
        await Poll.UntilAsync("the Redis resource to be Ready", async () =>
        {
            if (await @operator.ProblemAsync(admin, ct).ConfigureAwait(false) is { } problem)
            {
                throw new InvalidOperationException(problem);
            }

            var status = await StatusAsync(admin, ct).ConfigureAwait(false);
            last = status.Summary;
            if (status.Summary.Contains("serves the TLS certificate issued for its address", StringComparison.Ordinal))
            {
                waitStarted ??= Stopwatch.GetTimestamp();
                waitEnded = Stopwatch.GetTimestamp();
            }

            if (status.Phase != "Ready" || status.MasterAddress is null || status.MasterAddress == movedFrom || status.Sentinels.Count == 0)
            {
                return null;
            }

            return rolledFrom is null || await AllPodsOnNewTemplateAsync(admin, rolledFrom, ct).ConfigureAwait(false) ? "ready" : null;
        }, rolledFrom is null ? BackToReady : RolledOut, ct, () => $"last status: {last}").ConfigureAwait(false);
        return waitStarted is { } started && waitEnded is { } ended ? Stopwatch.GetElapsedTime(started, ended) : TimeSpan.Zero;
    }

    /// <summary>
    /// The redis_exporter sidecar of every Redis pod, scraped on the pod's address: each must log in (as the admin
    /// user, its password from the Secret) and report its node up, and exactly the status's master must say so.
    /// </summary>
    private static async Task<string> ExportersAsync(IKubernetes admin, CancellationToken ct)
    {
        var status = await StatusAsync(admin, ct).ConfigureAwait(false);
        var pods = await admin.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: RedisPods, cancellationToken: ct).ConfigureAwait(false);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var masters = new List<string>();
        foreach (var pod in pods.Items)
        {
            string[] lines = [];
            await Poll.UntilAsync($"the exporter of {pod.Metadata.Name} to report its node up", async () =>
            {
                try
                {
                    lines = (await http.GetStringAsync(new Uri($"http://{pod.Status.PodIP}:9121/metrics"), ct).ConfigureAwait(false)).Split('\n');
                }
                catch (HttpRequestException)
                {
                    return null;
                }

                return lines.Any(l => l.Trim() == "redis_up 1") ? "up" : null;
            }, TimeSpan.FromSeconds(60), ct, () => $"last scrape: {string.Join(" | ", lines.Where(l => l.StartsWith("redis_up", StringComparison.Ordinal) || l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(5))}").ConfigureAwait(false);
            if (lines.Any(l => l.StartsWith("redis_instance_info{", StringComparison.Ordinal) && l.Contains("role=\"master\"", StringComparison.Ordinal)))
            {
                masters.Add(pod.Metadata.Name);
            }
        }

        if (masters.Count != 1 || masters[0] != status.MasterPod)
        {
            throw new InvalidOperationException($"the exporters name {(masters.Count == 0 ? "no master" : string.Join(", ", masters))} as master; the status names {status.MasterPod}");
        }

        return $"the redis_exporter sidecar answers on all {pods.Items.Count} Redis pods with redis_up 1, and names {masters[0]} master as the status does";
    }

    /// <summary>How long the operator leader's node stays frozen: longer than the Lease (15 s), so the other operator takes over.</summary>
    private static readonly TimeSpan LeaderFreeze = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Every container of the node that runs the operator's leader frozen for longer than the Lease: the other operator
    /// must take the Lease and reconcile, and the old leader, thawed with its state from before, must step down without
    /// undoing anything. The leader is first moved to the master's node when an operator pod runs there, so that the
    /// master, its Sentinel and the operator that would heal them freeze together.
    /// </summary>
    /// <returns>What happened, whether the master was on the frozen node (and so must have moved), and when the freeze began.</returns>
    private static async Task<(string Note, bool MasterMoves, long FrozenAt)> FreezeLeaderZoneAsync(IKubernetes admin, PodNodes nodes, OperatorPods @operator, string masterPod, CancellationToken ct)
    {
        var master = await nodes.HostingAsync(admin, Namespace, masterPod, ct).ConfigureAwait(false);
        var leader = await @operator.LeadFromAsync(admin, master.Name, ct).ConfigureAwait(false);
        var zone = await nodes.HostingAsync(admin, OperatorInstall.Namespace, leader, ct).ConfigureAwait(false);
        var (frozen, frozenAt) = await zone.FreezeAsync(ct).ConfigureAwait(false);
        string? successor = null;
        TimeSpan? takenAfter = null;
        try
        {
            while (Stopwatch.GetElapsedTime(frozenAt) < LeaderFreeze)
            {
                if (successor is null)
                {
                    var now = await admin.CoordinationV1.ReadNamespacedLeaseAsync(OperatorInstall.Lease, OperatorInstall.Namespace, cancellationToken: ct).ConfigureAwait(false);
                    if (now.Spec?.HolderIdentity is { Length: > 0 } holder && holder != leader)
                    {
                        (successor, takenAfter) = (holder, Stopwatch.GetElapsedTime(frozenAt));
                    }
                }

                await Task.Delay(200, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            await zone.ThawAsync(frozen, ct).ConfigureAwait(false);
        }

        if (successor is null)
        {
            throw new InvalidOperationException($"the operator's leader {leader} was frozen for {LeaderFreeze.TotalSeconds:F0} s and no other operator took the Lease");
        }

        var onNode = master.Name == zone.Name;
        return ($"zone {zone.Zone} frozen {LeaderFreeze.TotalSeconds:F0} s with the leader {leader}{(onNode ? " and the master" : "")}; {successor} took the Lease after {takenAfter!.Value.TotalSeconds:F1} s; then thawed", onNode, frozenAt);
    }

    /// <summary>A Service's cluster IP and its first port, as an application in the cluster reaches it (kube-proxy).</summary>
    private static async Task<string> ServiceAddressAsync(IKubernetes admin, string service, CancellationToken ct)
    {
        var read = await admin.CoreV1.ReadNamespacedServiceAsync(service, Namespace, cancellationToken: ct).ConfigureAwait(false);
        return $"{read.Spec.ClusterIP}:{read.Spec.Ports[0].Port}";
    }

    /// <summary>
    /// A connection through the <c>rfrm</c> Service (its cluster IP, kube-proxy) reaches the new master: a write through
    /// it is taken (a replica would answer READONLY) and is there on <paramref name="master"/>. kube-proxy follows the
    /// Endpoints within its sync period, so the first connections may still reach the old pod.
    /// </summary>
    private static async Task MasterServiceReachesAsync(IKubernetes admin, string master, string password, CancellationToken ct)
    {
        var service = await ServiceAddressAsync(admin, Names.MasterService, ct).ConfigureAwait(false);
        var probe = Guid.NewGuid().ToString("N");
        var last = "";
        await Poll.UntilAsync($"a write through the {Names.MasterService} Service ({service}) to reach the new master {master}", async () =>
        {
            try
            {
                using (var through = await Resp.RespConnection.ConnectAsync(service, password, TimeSpan.FromSeconds(2), ct).ConfigureAwait(false))
                {
                    var set = await through.CommandAsync(TimeSpan.FromSeconds(2), ct, "SET", "pods-bench:rfrm-probe", probe).ConfigureAwait(false);
                    if (set.IsError)
                    {
                        last = set.Text ?? "error";
                        return null;
                    }
                }

                using var direct = await Resp.RespConnection.ConnectAsync(master, password, TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
                var read = await direct.CommandAsync(TimeSpan.FromSeconds(2), ct, "GET", "pods-bench:rfrm-probe").ConfigureAwait(false);
                last = $"the new master holds {read.Text ?? "nothing"}";
                return read.Text == probe ? "reached" : null;
            }
            catch (Exception e) when (Resp.RespFailure.Is(e))
            {
                last = e.Message;
                return null;
            }
        }, TimeSpan.FromSeconds(10), ct, () => $"last: {last}").ConfigureAwait(false);
    }

    /// <summary>
    /// Where the pods run: the three Redis pods in three zones and the three Sentinels in three zones (the resource lists
    /// the zones, so the spread is a hard rule), and each Redis pod on a claim bound to a local volume of its own node.
    /// </summary>
    private static async Task<string> PlacementAsync(IKubernetes admin, CancellationToken ct)
    {
        var zones = (await admin.CoreV1.ListNodeAsync(cancellationToken: ct).ConfigureAwait(false)).Items
            .ToDictionary(n => n.Metadata.Name, n => n.Metadata.Labels is { } labels && labels.TryGetValue("topology.kubernetes.io/zone", out var zone) ? zone : "(none)", StringComparer.Ordinal);
        var parts = new List<string>();
        foreach (var component in new[] { "redis", Redoubt.Platforms.Kubernetes.Manifests.Labels.ComponentSentinel })
        {
            var pods = (await admin.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: $"{Redoubt.Platforms.Kubernetes.Manifests.Labels.Component}={component},{Redoubt.Platforms.Kubernetes.Manifests.Labels.Resource}={ResourceName}", cancellationToken: ct).ConfigureAwait(false)).Items
                .Where(p => p.Metadata.DeletionTimestamp is null).ToList();
            var placed = pods.Select(p => zones.TryGetValue(p.Spec.NodeName ?? "", out var zone) ? zone : "(unscheduled)").ToList();
            if (pods.Count != PodNodes.Zones.Length || placed.Distinct(StringComparer.Ordinal).Count() != PodNodes.Zones.Length)
            {
                throw new InvalidOperationException($"the {component} pods are not one in each zone: {string.Join(", ", pods.Select((p, i) => $"{p.Metadata.Name} in {placed[i]}"))}");
            }

            parts.Add($"{component} pods {string.Join(", ", pods.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).Select(p => $"{p.Metadata.Name} in {zones[p.Spec.NodeName]}"))}");
            if (component != "redis")
            {
                continue;
            }

            foreach (var pod in pods)
            {
                var claim = pod.Spec.Volumes?.Select(v => v.PersistentVolumeClaim?.ClaimName).OfType<string>().FirstOrDefault()
                    ?? throw new InvalidOperationException($"Redis pod {pod.Metadata.Name} has no claim, though the resource asks for {PodNodes.VolumeSize}");
                var bound = await admin.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim, Namespace, cancellationToken: ct).ConfigureAwait(false);
                var volume = bound.Spec.VolumeName is { Length: > 0 } name
                    ? await admin.CoreV1.ReadPersistentVolumeAsync(name, cancellationToken: ct).ConfigureAwait(false)
                    : throw new InvalidOperationException($"claim {claim} of {pod.Metadata.Name} is {bound.Status?.Phase}, bound to no volume");
                var volumeNode = volume.Spec.NodeAffinity?.Required?.NodeSelectorTerms?.SelectMany(t => t.MatchExpressions ?? []).SelectMany(e => e.Values ?? []).FirstOrDefault();
                if (bound.Status?.Phase != "Bound" || volumeNode != pod.Spec.NodeName)
                {
                    throw new InvalidOperationException($"claim {claim} of {pod.Metadata.Name} (on {pod.Spec.NodeName}) is {bound.Status?.Phase}, bound to {volume.Metadata.Name} of node {volumeNode}");
                }
            }
        }

        return $"{string.Join("; ", parts)}; each Redis pod on its claim, bound to a local volume of its node";
    }

    private static async Task<string?> TemplateHashAsync(IKubernetes admin, CancellationToken ct) =>
        TemplateHash((await admin.AppsV1.ReadNamespacedStatefulSetAsync($"rfr-{Instance}", Namespace, cancellationToken: ct).ConfigureAwait(false)).Spec.Template.Metadata);

    private static async Task<bool> AllPodsOnNewTemplateAsync(IKubernetes admin, string previous, CancellationToken ct)
    {
        var statefulSet = await admin.AppsV1.ReadNamespacedStatefulSetAsync($"rfr-{Instance}", Namespace, cancellationToken: ct).ConfigureAwait(false);
        var want = TemplateHash(statefulSet.Spec.Template.Metadata);
        var pods = await admin.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: RedisPods, cancellationToken: ct).ConfigureAwait(false);
        return want is not null && want != previous && pods.Items.Count == statefulSet.Spec.Replicas
            && pods.Items.All(p => TemplateHash(p.Metadata) == want && p.Metadata.DeletionTimestamp is null);
    }

    private static string? TemplateHash(V1ObjectMeta metadata) =>
        metadata.Annotations is { } annotations && annotations.TryGetValue(Redoubt.Platforms.Kubernetes.Manifests.Annotations.TemplateHash, out var hash) ? hash : null;

    /// <param name="Addresses">Each Redis pod's address, by pod name.</param>
    private sealed record ResourceStatus(string Phase, string MasterPod, string? MasterAddress, List<string> Sentinels, Dictionary<string, string> Addresses, string Summary);

    private static async Task<ResourceStatus> StatusAsync(IKubernetes admin, CancellationToken ct)
    {
        var resource = await admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonNode>(RedisCrd.Group, RedisCrd.Version, Namespace, RedisCrd.Plural, ResourceName, cancellationToken: ct).ConfigureAwait(false);
        var status = resource["status"];
        var phase = status?["phase"]?.GetValue<string>() ?? "";
        // status.master is the master's address; its node entry names the pod.
        var master = status?["master"]?.GetValue<string>();
        var nodes = status?["nodes"]?.AsArray() ?? [];
        var node = nodes.FirstOrDefault(n => master is not null && n?["address"]?.GetValue<string>() == master && n?["role"]?.GetValue<string>() == "master");
        var address = node is null ? null : master;
        var pod = node?["name"]?.GetValue<string>() ?? "";
        var sentinels = (status?["sentinelNodes"]?.AsArray() ?? []).Select(s => s?["address"]?.GetValue<string>()).OfType<string>().Where(a => a.Length > 0).ToList();
        // A condition that is not True says why ("waiting until ..."): what a run that timed out needs to show.
        var conditions = string.Join(", ", (status?["conditions"]?.AsArray() ?? []).Select(c =>
            $"{c?["type"]}={c?["status"]}{(c?["status"]?.GetValue<string>() == "True" || c?["message"] is null ? "" : $" ({c["message"]})")}"));
        var addresses = nodes.Where(n => n?["name"] is not null && n?["address"] is not null)
            .ToDictionary(n => n!["name"]!.GetValue<string>(), n => n!["address"]!.GetValue<string>(), StringComparer.Ordinal);
        return new ResourceStatus(phase, pod, address, sentinels, addresses, $"phase {phase}, master {pod} ({master}), conditions {conditions}");
    }

    /// <summary>
    /// For a TLS resource: every connection of the run trusts the resource's CA alone (ca.crt of the Secret the Redis
    /// pods mount), as an application given that file does. It reaches the Sentinels by their pod addresses (no
    /// cluster DNS here) but checks their certificate for the Sentinel Service's name, the name an application in the
    /// cluster connects to; a Redis node it checks for the pod IP the Sentinels hand out.
    /// </summary>
    private static async Task<string> TrustAsync(IKubernetes admin, CancellationToken ct)
    {
        var names = new Redoubt.Platforms.Kubernetes.Manifests.ObjectNames(ResourceName);
        var secret = await admin.CoreV1.ReadNamespacedSecretAsync(names.TlsSecret, Namespace, cancellationToken: ct).ConfigureAwait(false);
        var authority = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(secret.Data["ca.crt"]));
        var sentinels = (await StatusAsync(admin, ct).ConfigureAwait(false)).Sentinels;
        Resp.RespConnection.Authority = authority;
        // The check is real: the Sentinels' certificate names their Service, not a pod's IP, so checked for the IP it is refused.
        var sentinel = sentinels.First();
        try
        {
            using var wrongName = await Resp.RespConnection.ConnectAsync(sentinel, null, TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
            throw new InvalidOperationException($"the Sentinel at {sentinel} passed a TLS check for its pod IP, which its certificate does not name: the writer's checks are not in effect");
        }
        catch (System.Security.Authentication.AuthenticationException)
        {
            // Refused, as it must be.
        }

        // By port, not by the addresses of now: a rolling update replaces the Sentinel pods, on other addresses. The
        // master's Service by its cluster IP, which stays.
        var masterService = await ServiceAddressAsync(admin, names.MasterService, ct).ConfigureAwait(false);
        Resp.RespConnection.ServerName = address =>
            Resp.RespConnection.Split(address).Port == Redoubt.Platforms.Kubernetes.Manifests.Ports.Sentinel ? $"{names.SentinelService}.{Namespace}.svc"
            : address == masterService ? $"{names.MasterService}.{Namespace}.svc"
            : null;
        return $"TLS: the writer trusts {authority.Subject} alone, the Sentinels as {names.SentinelService}.{Namespace}.svc (checked for its pod IP, {sentinel} is refused), each Redis pod by its IP";
    }

    private static Task<string> PasswordAsync(IKubernetes admin, CancellationToken ct) => PasswordAsync(admin, ResourceName, ct);

    /// <summary>The application password of a resource of the run's namespace, from its auth Secret.</summary>
    internal static async Task<string> PasswordAsync(IKubernetes admin, string resource, CancellationToken ct)
    {
        var secret = await admin.CoreV1.ReadNamespacedSecretAsync(new Redoubt.Platforms.Kubernetes.Manifests.ObjectNames(resource).AuthSecret, Namespace, cancellationToken: ct).ConfigureAwait(false);
        return Encoding.UTF8.GetString(secret.Data["password"]);
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> done, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await done().ConfigureAwait(false))
            {
                return true;
            }

            await Task.Delay(5, ct).ConfigureAwait(false);
        }

        return false;
    }

    private void PrintSummary(TimeSpan elapsed)
    {
        Console.WriteLine();
        Console.WriteLine($"pods: {_events.Count} events in {elapsed.TotalMinutes:F1} min (the operator as deploy/operator.yaml's pods, a real kube-apiserver 1.20, three nodes in three zones (kubelet with Docker), kube-proxy, Redis pods on local volumes{(options.Tls ? ", with TLS" : "")}; the writer through the Sentinel Service)");
        Console.WriteLine($"  {"fault",-28} {"runs",4}  {"gap median",10}  {"gap max",8}  {"lost",-14}  rfrm Endpoints after the new master (median / max)");
        foreach (var group in _events.GroupBy(e => e.Fault))
        {
            var gaps = group.Select(e => e.GapMs).ToList();
            var endpoints = group.Select(e => e.EndpointsMs).OfType<double>().ToList();
            var lost = $"{group.Sum(e => e.Lost)} of {group.Sum(e => e.Acknowledged)}";
            var lag = endpoints.Count == 0 ? "-" : $"{Stats.Median(endpoints):F0} / {Stats.Max(endpoints):F0} ms";
            Console.WriteLine($"  {Describe(group.Key),-28} {group.Count(),4}  {Stats.Median(gaps),7:F0} ms  {Stats.Max(gaps),5:F0} ms  {lost,-14}  {lag}");
        }
    }

    private static string Describe(Fault fault) => fault switch
    {
        Fault.ContainerKill => "kill -9 of master container",
        Fault.PodDelete => "delete of the master pod",
        Fault.Freeze => "master frozen (docker pause)",
        Fault.ZoneFreeze => "master's zone frozen",
        Fault.LeaderZoneFreeze => "operator leader's zone frozen",
        _ => "rolling update of template",
    };

    private static string Ms(double? ms) => ms is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v,5:F0} ms") : "    - ";
}
