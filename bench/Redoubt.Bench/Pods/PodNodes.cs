using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using k8s;
using k8s.Models;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;

namespace Redoubt.Bench.Pods;

/// <summary>
/// The pods run's nodes: three, one in each zone (gland, lucerne, geneve), so the operator's spread over zones and
/// hosts meets a scheduler with somewhere to spread to. They share the network namespace the bench runs in: each has
/// its address on the namespace's node interface, its Docker daemon and pod bridge, and its kubelet; one kube-proxy
/// (iptables mode, in this namespace's tables) gives every Service its cluster IP, the <c>kubernetes</c> Service
/// included. Claims bind to local PersistentVolumes on the nodes (a StorageClass with no provisioner, as clusters
/// with local disks have), so a replaced pod comes back to its own data.
/// </summary>
internal sealed class PodNodes
{
    public static readonly string[] Zones = ["gland", "lucerne", "geneve"];

    /// <summary>Where the pods run's API server says it is (the <c>kubernetes</c> Service's endpoint): the first node's address.</summary>
    public static IPAddress ApiServerAddress => PodNode.AddressOf(0);

    /// <summary>The StorageClass of the run's local volumes, the cluster's default.</summary>
    public const string StorageClass = "redoubt-local";

    /// <summary>Each claim's volume; what the run's Redis resource asks for.</summary>
    public const string VolumeSize = "1Gi";

    private const string NodeInterface = "node0";
    private const string PodNetwork = "10.251.0.0/16";

    private PodNodes(IReadOnlyList<PodNode> nodes) => All = nodes;

    public IReadOnlyList<PodNode> All { get; }

    /// <summary>The Redis image and version every node holds (the same on each).</summary>
    public PodNode Any => All[0];

    /// <summary>
    /// The namespace's network before anything listens in it: the nodes' addresses on an interface of their own, a
    /// default route through it, a bridge for each node's pods, forwarding between them, and bridged traffic through
    /// this namespace's iptables (kube-proxy's rules must see a reply that stays on one bridge). All of it in this
    /// namespace only: nothing changes in the host's.
    /// </summary>
    public static async Task PrepareNetworkAsync(CancellationToken ct)
    {
        // A veth pair with both ends here: kernels without the dummy driver have veth (the partition tests use it too).
        List<string[]> commands =
        [
            ["link", "add", NodeInterface, "type", "veth", "peer", "name", $"{NodeInterface}-peer"],
            ["link", "set", $"{NodeInterface}-peer", "up"],
            ["link", "set", NodeInterface, "up"],
        ];
        for (var i = 0; i < Zones.Length; i++)
        {
            commands.Add(["addr", "add", $"{PodNode.AddressOf(i)}/24", "dev", NodeInterface]);
            commands.Add(["link", "add", PodNode.BridgeOf(i), "type", "bridge"]);
            commands.Add(["addr", "add", PodNode.BridgeAddressOf(i), "dev", PodNode.BridgeOf(i)]);
            commands.Add(["link", "set", PodNode.BridgeOf(i), "up"]);
        }

        commands.Add(["route", "add", "default", "dev", NodeInterface]);
        foreach (var arguments in commands)
        {
            var (exit, error) = await StormNamespace.IpAsync(arguments).ConfigureAwait(false);
            if (exit != 0)
            {
                throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {error.Trim()}");
            }
        }

        // Both settings are per network namespace: these are this run's.
        await File.WriteAllTextAsync("/proc/sys/net/ipv4/ip_forward", "1", ct).ConfigureAwait(false);
        const string bridged = "/proc/sys/net/bridge/bridge-nf-call-iptables";
        if (!File.Exists(bridged))
        {
            throw new InvalidOperationException($"{bridged} is missing: the kernel's br_netfilter is not loaded, and a Service's reply between two pods of one node would bypass kube-proxy's rules (load it with `modprobe br_netfilter`; the run does not load modules)");
        }

        await File.WriteAllTextAsync(bridged, "1", ct).ConfigureAwait(false);
    }

    public static async Task<PodNodes> StartAsync(TestCluster cluster, string binaries, CancellationToken ct)
    {
        var images = await PodImages.EnsureAsync(ct).ConfigureAwait(false);
        await MountCgroupsAsync(ct).ConfigureAwait(false);
        var nodes = new PodNodes(await Task.WhenAll(Zones.Select((zone, i) => PodNode.StartDockerAsync(cluster, i, zone, images, ct))).ConfigureAwait(false));

        cluster.Start("kube-scheduler", Path.Combine(binaries, "kube-scheduler"),
        [
            $"--kubeconfig={cluster.AdminKubeconfig}", "--leader-elect=false", "--port=0", "--secure-port=0", "--bind-address=127.0.0.1",
        ]);
        foreach (var node in nodes.All)
        {
            node.StartKubelet(cluster, binaries);
        }

        cluster.Start("kube-proxy", Path.Combine(binaries, "kube-proxy"),
        [
            $"--kubeconfig={cluster.AdminKubeconfig}", "--proxy-mode=iptables", $"--hostname-override={nodes.Any.Name}",
            $"--bind-address={nodes.Any.Address}", $"--cluster-cidr={PodNetwork}",
            "--metrics-bind-address=127.0.0.1:10249", "--healthz-bind-address=127.0.0.1:10256",
            // Leave the kernel's conntrack table size and timeouts alone: they are the machine's, not this namespace's.
            "--conntrack-max-per-core=0", "--conntrack-min=0",
            "--conntrack-tcp-timeout-established=0s", "--conntrack-tcp-timeout-close-wait=0s",
            "--v=1",
        ]);

        using var admin = cluster.AdminClient();
        await Poll.UntilAsync($"nodes {string.Join(", ", nodes.All.Select(n => n.Name))} to be Ready", async () =>
        {
            var listed = await admin.CoreV1.ListNodeAsync(cancellationToken: ct).ConfigureAwait(false);
            var ready = listed.Items.Count(n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
            return ready == nodes.All.Count ? "ready" : null;
        }, TimeSpan.FromMinutes(2), ct).ConfigureAwait(false);

        // kube-proxy has programmed the Services once this namespace reaches the API server through the `kubernetes` Service.
        await Poll.UntilAsync($"kube-proxy to map the kubernetes Service ({TestCluster.KubernetesServiceAddress}:443) to the API server", async () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                await socket.ConnectAsync(TestCluster.KubernetesServiceAddress, 443, limit.Token).ConfigureAwait(false);
                return "mapped";
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                return null;
            }
        }, TimeSpan.FromMinutes(1), ct).ConfigureAwait(false);

        await nodes.CreateVolumesAsync(admin, ct).ConfigureAwait(false);
        return nodes;
    }

    public PodNode Named(string nodeName) =>
        All.FirstOrDefault(n => n.Name == nodeName) ?? throw new InvalidOperationException($"no node {nodeName} in this run");

    /// <summary>The node <paramref name="pod"/> is scheduled on.</summary>
    public async Task<PodNode> HostingAsync(IKubernetes admin, string ns, string pod, CancellationToken ct)
    {
        var read = await admin.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: ct).ConfigureAwait(false);
        return Named(read.Spec?.NodeName ?? throw new InvalidOperationException($"pod {ns}/{pod} is not scheduled"));
    }

    /// <summary>
    /// The run's default StorageClass (no provisioner, binding once a pod is scheduled) and two local volumes on each
    /// node, directories under the node's folder: a claim binds to one on the node its first pod was placed on, and
    /// the pod stays with it from then on.
    /// </summary>
    private async Task CreateVolumesAsync(IKubernetes admin, CancellationToken ct)
    {
        await admin.StorageV1.CreateStorageClassAsync(new V1StorageClass
        {
            Metadata = new V1ObjectMeta { Name = StorageClass, Annotations = new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = "true" } },
            Provisioner = "kubernetes.io/no-provisioner",
            VolumeBindingMode = "WaitForFirstConsumer",
            ReclaimPolicy = "Retain",
        }, cancellationToken: ct).ConfigureAwait(false);
        foreach (var node in All)
        {
            for (var i = 0; i < 2; i++)
            {
                var path = Path.Combine(node.Directory, "volumes", $"volume-{i}");
                Directory.CreateDirectory(path);
                await admin.CoreV1.CreatePersistentVolumeAsync(new V1PersistentVolume
                {
                    Metadata = new V1ObjectMeta { Name = $"{node.Name}-{i}" },
                    Spec = new V1PersistentVolumeSpec
                    {
                        Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(VolumeSize) },
                        AccessModes = ["ReadWriteOnce"],
                        PersistentVolumeReclaimPolicy = "Retain",
                        StorageClassName = StorageClass,
                        Local = new V1LocalVolumeSource { Path = path },
                        NodeAffinity = new V1VolumeNodeAffinity
                        {
                            Required = new V1NodeSelector
                            {
                                NodeSelectorTerms =
                                [
                                    new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [node.Name] }] },
                                ],
                            },
                        },
                    },
                }, cancellationToken: ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// `ip netns exec` gives the run a mount namespace of its own with a fresh /sys, which hides the cgroup
    /// hierarchies Docker and the kubelet need. They are mounted again at the same places, with the same options as
    /// the host's (read from the first process's mounts), in this mount namespace only: its mounts do not propagate
    /// to the host's, and they go when the run's processes end.
    /// </summary>
    private static async Task MountCgroupsAsync(CancellationToken ct)
    {
        var mounts = (await File.ReadAllLinesAsync("/proc/1/mounts", ct).ConfigureAwait(false)).Select(l => l.Split(' ')).ToList();
        var hierarchies = mounts
            .Where(f => f.Length >= 4 && f[2] is "cgroup" or "cgroup2" && f[1].StartsWith("/sys/fs/cgroup", StringComparison.Ordinal))
            .ToList();
        if (hierarchies.Count == 0)
        {
            throw new InvalidOperationException("the host mounts no cgroup hierarchy under /sys/fs/cgroup; Docker cannot run containers here");
        }

        var root = mounts.FirstOrDefault(f => f.Length >= 4 && f[1] == "/sys/fs/cgroup");
        if (root is not null && root[2] != "cgroup2")
        {
            await MountAsync(["-t", "tmpfs", "-o", "mode=755", "cgroup_root", "/sys/fs/cgroup"], ct).ConfigureAwait(false);
        }

        foreach (var fields in hierarchies)
        {
            var options = string.Join(',', fields[3].Split(',').Where(o => o is not ("rw" or "ro" or "relatime" or "nosuid" or "nodev" or "noexec")));
            System.IO.Directory.CreateDirectory(fields[1]);
            await MountAsync(options.Length == 0 ? ["-t", fields[2], fields[2], fields[1]] : ["-t", fields[2], "-o", options, fields[2], fields[1]], ct).ConfigureAwait(false);
        }
    }

    private static async Task MountAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo("mount") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot run mount");
        var error = await process.StandardError.ReadToEndAsync(ct).ConfigureAwait(false);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mount {string.Join(' ', arguments)} failed: {error.Trim()}");
        }
    }
}
