using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using k8s;
using Redoubt.Kubernetes.Cluster.Tests;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;

namespace Redoubt.Bench.Pods;

/// <summary>
/// One Kubernetes node for the pods run, inside the network namespace the bench runs in: an address of its own on a
/// dummy interface, a Docker daemon private to this run (its own socket, data and exec roots, its bridge and rules in
/// the namespace, no iptables rules at all), the locally built images imported into it, kube-scheduler and a kubelet
/// that uses Docker through its built-in shim. Every process is started through the <see cref="TestCluster"/>, so it
/// is stopped with it, by pid, in reverse order (kubelet before Docker before the API server).
/// </summary>
internal sealed class PodNode
{
    public const string NodeName = "redoubt-pods";
    public const string Zone = "gland";
    public const string RedisImage = "redoubt.local/redis:";
    public const string PauseImage = "redoubt.local/pause:1";
    public const string ExporterImage = "redoubt.local/redis-exporter:";

    /// <summary>The node's address, on an interface of the namespace; pods get 10.251.0.x on Docker's bridge.</summary>
    public static readonly IPAddress NodeAddress = IPAddress.Parse("10.250.0.2");

    private const string PodBridge = "10.251.0.1/24";

    private PodNode(string directory, string dockerSocket, PodImages images)
    {
        Directory = directory;
        DockerSocket = dockerSocket;
        Images = images;
        RedisImageName = RedisImage + images.RedisVersion;
        RedisVersion = images.RedisVersion;
        ExporterImageName = ExporterImage + images.ExporterVersion;
    }

    public string Directory { get; }
    public string DockerSocket { get; }
    /// <summary>What tests/cluster/pod-images.sh built, which the node's images were imported from.</summary>
    public PodImages Images { get; }

    public string RedisImageName { get; }
    public string RedisVersion { get; }

    /// <summary>Debian's redis_exporter on the same root, for the sidecar the operator adds to every Redis pod.</summary>
    public string ExporterImageName { get; }

    public static async Task<PodNode> StartAsync(TestCluster cluster, string binaries, CancellationToken ct)
    {
        var images = await PodImages.EnsureAsync(ct).ConfigureAwait(false);
        await AddNodeAddressAsync(ct).ConfigureAwait(false);
        await MountCgroupsAsync(ct).ConfigureAwait(false);

        var directory = Path.Combine(cluster.Directory, "node");
        System.IO.Directory.CreateDirectory(directory);
        var socket = Path.Combine(directory, "docker.sock");
        var runc = WriteRuncWrapper(directory);
        cluster.Start("dockerd", "dockerd",
        [
            $"--data-root={Path.Combine(directory, "docker")}", $"--exec-root={Path.Combine(directory, "docker-exec")}",
            $"--pidfile={Path.Combine(directory, "docker.pid")}", $"--host=unix://{socket}",
            // The bridge and its address live in this namespace; Docker writes no iptables rule anywhere.
            $"--bip={PodBridge}", "--iptables=false", "--ip-masq=false", "--userland-proxy=false",
            "--storage-driver=overlay2", "--cgroup-parent=redoubt-pods", "--shutdown-timeout=2", "--log-level=warn",
            $"--add-runtime=redoubt-runc={runc}", "--default-runtime=redoubt-runc",
        ]);
        var node = new PodNode(directory, socket, images);
        await Poll.UntilAsync("dockerd to answer", async () => (await node.DockerAsync(["version", "--format", "{{.Server.Version}}"], ct, check: false).ConfigureAwait(false)).Exit == 0 ? "up" : null,
            TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
        await node.ImportAsync(images, ct).ConfigureAwait(false);

        cluster.Start("kube-scheduler", Path.Combine(binaries, "kube-scheduler"),
        [
            $"--kubeconfig={cluster.AdminKubeconfig}", "--leader-elect=false", "--port=0", "--secure-port=0", "--bind-address=127.0.0.1",
        ]);
        cluster.Start("kubelet", Path.Combine(binaries, "kubelet"),
        [
            $"--kubeconfig={cluster.AdminKubeconfig}",
            "--container-runtime=docker", $"--docker-endpoint=unix://{socket}", $"--pod-infra-container-image={PauseImage}",
            $"--root-dir={Path.Combine(directory, "kubelet")}", $"--cert-dir={Path.Combine(directory, "kubelet-pki")}",
            $"--volume-plugin-dir={Path.Combine(directory, "kubelet-plugins")}",
            $"--experimental-dockershim-root-directory={Path.Combine(directory, "dockershim")}",
            $"--seccomp-profile-root={Path.Combine(directory, "kubelet", "seccomp")}",
            $"--node-ip={NodeAddress}", $"--address={NodeAddress}", $"--hostname-override={NodeName}",
            $"--node-labels=topology.kubernetes.io/zone={Zone}",
            "--read-only-port=0", "--healthz-port=0",
            // Only the API server's clients may call it (logs, exec), not anonymous callers.
            "--anonymous-auth=false", $"--client-ca-file={cluster.Certificates.CaCertificate}",
            "--fail-swap-on=false", "--cgroup-driver=cgroupfs", "--cgroups-per-qos=false", "--enforce-node-allocatable=",
            // The images exist only here: never collect them, never evict for a shared disk's fill level.
            "--image-gc-high-threshold=100", "--image-gc-low-threshold=99",
            "--eviction-hard=memory.available<1Mi,nodefs.available<1%,imagefs.available<1%",
            "--max-pods=40", "--v=1",
        ]);
        using var admin = cluster.AdminClient();
        await Poll.UntilAsync($"node {NodeName} to be Ready", async () =>
        {
            var nodes = await admin.CoreV1.ListNodeAsync(cancellationToken: ct).ConfigureAwait(false);
            return nodes.Items.FirstOrDefault(n => n.Metadata.Name == NodeName)?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true ? "ready" : null;
        }, TimeSpan.FromMinutes(2), ct).ConfigureAwait(false);
        return node;
    }

    /// <summary>The container of <paramref name="container"/> in pod <paramref name="pod"/>, as the kubelet labels it.</summary>
    public async Task<string> ContainerIdAsync(string ns, string pod, string container, CancellationToken ct)
    {
        var result = await DockerAsync(["ps", "-q", "--filter", $"label=io.kubernetes.pod.namespace={ns}", "--filter", $"label=io.kubernetes.pod.name={pod}",
            "--filter", $"label=io.kubernetes.container.name={container}"], ct).ConfigureAwait(false);
        var ids = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ids.Length == 1 ? ids[0] : throw new InvalidOperationException($"expected one running container {container} in pod {ns}/{pod}, found {ids.Length}");
    }

    public async Task<(int Exit, string Output, string Error)> DockerAsync(IReadOnlyList<string> arguments, CancellationToken ct, bool check = true)
    {
        var docker = File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
        var info = new ProcessStartInfo(docker) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add($"--host=unix://{DockerSocket}");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot run docker (Debian's docker.io)");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        var result = (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', arguments)} failed: {result.Item3.Trim()}");
        }

        return result;
    }

    private async Task ImportAsync(PodImages images, CancellationToken ct)
    {
        await DockerAsync(["import", images.RedisRootfs, RedisImageName], ct).ConfigureAwait(false);
        await DockerAsync(["import", "--change", "ENTRYPOINT [\"/usr/bin/prometheus-redis-exporter\"]", images.RedisRootfs, ExporterImageName], ct).ConfigureAwait(false);
        var pauseTar = Path.Combine(Directory, "pause.tar");
        await using (var tar = File.Create(pauseTar))
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: false))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "pause")
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                DataStream = File.OpenRead(images.Pause),
            };
            await writer.WriteEntryAsync(entry, ct).ConfigureAwait(false);
        }

        await DockerAsync(["import", "--change", "ENTRYPOINT [\"/pause\"]", pauseTar, PauseImage], ct).ConfigureAwait(false);
    }

    /// <summary>
    /// runc behind a wrapper: some machines deny the negative oomScoreAdj the kubelet gives pod sandboxes (no
    /// CAP_SYS_RESOURCE), and runc then fails to start them. The wrapper sets a negative value to 0 in the bundle's
    /// config before calling runc; nothing else changes.
    /// </summary>
    private static string WriteRuncWrapper(string directory)
    {
        var path = Path.Combine(directory, "runc-wrapper");
        File.WriteAllText(path, """
            #!/bin/sh
            bundle="$PWD"
            previous=""
            for argument in "$@"; do
              case "$previous" in --bundle|-b) bundle="$argument" ;; esac
              case "$argument" in --bundle=*) bundle="${argument#--bundle=}" ;; esac
              previous="$argument"
            done
            if [ -f "$bundle/config.json" ]; then
              sed -i -E 's/"oomScoreAdj":-[0-9]+/"oomScoreAdj":0/' "$bundle/config.json"
            fi
            exec runc "$@"

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
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

    /// <summary>The node's address on an interface of its own, and a default route through it, in this namespace only.</summary>
    private static async Task AddNodeAddressAsync(CancellationToken ct)
    {
        foreach (var arguments in new[]
        {
            // A veth pair with both ends here: kernels without the dummy driver have veth (the partition tests use it too).
            new[] { "link", "add", "node0", "type", "veth", "peer", "name", "node0-peer" },
            ["addr", "add", $"{NodeAddress}/24", "dev", "node0"],
            ["link", "set", "node0-peer", "up"],
            ["link", "set", "node0", "up"],
            ["route", "add", "default", "dev", "node0"],
            // In place of kube-proxy: the `kubernetes` Service's address is this namespace's own, so a pod (the
            // operator's) reaches the API server at the address kubelet gives it in KUBERNETES_SERVICE_HOST.
            ["addr", "add", $"{TestCluster.KubernetesServiceAddress}/32", "dev", "node0"],
        })
        {
            var (exit, error) = await StormNamespace.IpAsync(arguments).ConfigureAwait(false);
            if (exit != 0)
            {
                throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {error.Trim()}");
            }
        }

        ct.ThrowIfCancellationRequested();
    }
}

/// <summary>What tests/cluster/pod-images.sh built (once, cached outside the checkout).</summary>
internal sealed record PodImages(string RedisRootfs, string RedisVersion, string ExporterVersion, string Pause)
{
    public static async Task<PodImages> EnsureAsync(CancellationToken ct)
    {
        var script = Path.Combine(TestPaths.RepositoryRoot, "tests", "cluster", "pod-images.sh");
        var info = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {script}");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed (exit code {process.ExitCode}): {await error.ConfigureAwait(false)}");
        }

        var values = (await output.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim());
        return new PodImages(values["redis-rootfs"], values["redis-version"], values["exporter-version"], values["pause"]);
    }
}
