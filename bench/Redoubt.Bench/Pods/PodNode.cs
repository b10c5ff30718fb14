using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using Redoubt.Kubernetes.Cluster.Tests;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;

namespace Redoubt.Bench.Pods;

/// <summary>
/// One Kubernetes node of the pods run, inside the network namespace the bench runs in: an address of its own, a
/// Docker daemon private to this node (its own socket, data and exec roots, its own bridge and pod subnet, no
/// iptables rules at all), the locally built images imported into it, and a kubelet that uses that daemon through its
/// built-in shim, labelled with the node's zone. The nodes share the namespace, so a pod reaches a pod of another node
/// through the namespace's routes between the bridges. Every process is started through the <see cref="TestCluster"/>,
/// so it is stopped with it, by pid, in reverse order (kubelet before Docker before the API server).
/// </summary>
internal sealed class PodNode
{
    public const string RedisImage = "redoubt.local/redis:";
    public const string PauseImage = "redoubt.local/pause:1";
    public const string ExporterImage = "redoubt.local/redis-exporter:";

    private PodNode(int index, string zone, string directory, PodImages images)
    {
        Index = index;
        Zone = zone;
        Directory = directory;
        DockerSocket = Path.Combine(directory, "docker.sock");
        Images = images;
        RedisImageName = RedisImage + images.RedisVersion;
        RedisVersion = images.RedisVersion;
        ExporterImageName = ExporterImage + images.ExporterVersion;
    }

    public int Index { get; }

    /// <summary>The node's zone (its topology.kubernetes.io/zone label).</summary>
    public string Zone { get; }

    public string Name => $"redoubt-{Zone}";

    /// <summary>The node's address, on the namespace's node interface: 10.250.0.2 for the first node, then .3, .4.</summary>
    public IPAddress Address => AddressOf(Index);

    public static IPAddress AddressOf(int index) => IPAddress.Parse($"10.250.0.{2 + index}");

    /// <summary>The node's pod bridge; its pods get 10.251.N.x.</summary>
    public string Bridge => BridgeOf(Index);

    public static string BridgeOf(int index) => $"pods{index}";

    /// <summary>The bridge's own address: the pods' gateway.</summary>
    public static string BridgeAddressOf(int index) => $"10.251.{index}.1/24";

    public string Directory { get; }
    public string DockerSocket { get; }
    /// <summary>What tests/cluster/pod-images.sh built, which the node's images were imported from.</summary>
    public PodImages Images { get; }

    public string RedisImageName { get; }
    public string RedisVersion { get; }

    /// <summary>Debian's redis_exporter on the same root, for the sidecar the operator adds to every Redis pod.</summary>
    public string ExporterImageName { get; }

    /// <summary>Starts the node's Docker daemon on its bridge (which <see cref="PodNodes"/> created) and waits until it answers.</summary>
    public static async Task<PodNode> StartDockerAsync(TestCluster cluster, int index, string zone, PodImages images, CancellationToken ct)
    {
        // Short: containerd's sockets go under the exec root, and a socket's path may not pass 104 characters.
        var directory = Path.Combine(cluster.Directory, $"n{index}");
        System.IO.Directory.CreateDirectory(directory);
        var node = new PodNode(index, zone, directory, images);
        var runc = WriteRuncWrapper(directory);
        cluster.Start($"dockerd-{zone}", "dockerd",
        [
            $"--data-root={Path.Combine(directory, "docker")}", $"--exec-root={Path.Combine(directory, "x")}",
            $"--pidfile={Path.Combine(directory, "docker.pid")}", $"--host=unix://{node.DockerSocket}",
            // The bridge and its address live in this namespace; Docker writes no iptables rule anywhere.
            $"--bridge={node.Bridge}", "--iptables=false", "--ip-masq=false", "--userland-proxy=false",
            "--storage-driver=overlay2", $"--cgroup-parent=redoubt-{zone}", "--shutdown-timeout=2", "--log-level=warn",
            $"--add-runtime=redoubt-runc={runc}", "--default-runtime=redoubt-runc",
        ]);
        await Poll.UntilAsync($"dockerd of {node.Name} to answer", async () => (await node.DockerAsync(["version", "--format", "{{.Server.Version}}"], ct, check: false).ConfigureAwait(false)).Exit == 0 ? "up" : null,
            TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
        await node.ImportAsync(images, ct).ConfigureAwait(false);
        return node;
    }

    /// <summary>
    /// The node's kubelet. Its paths are its own (root, certificates, plugins, the shim's socket and root), except
    /// /var/log/pods, which the kubelet does not let one move: a kubelet's log cleanup may remove the log links of
    /// another node's pods, which the run does not read (it reads containers' logs through their node's Docker).
    /// </summary>
    public void StartKubelet(TestCluster cluster, string binaries)
    {
        var shim = $"unix://{Path.Combine(Directory, "dockershim.sock")}";
        cluster.Start($"kubelet-{Zone}", Path.Combine(binaries, "kubelet"),
        [
            $"--kubeconfig={cluster.AdminKubeconfig}",
            "--container-runtime=docker", $"--docker-endpoint=unix://{DockerSocket}", $"--pod-infra-container-image={PauseImage}",
            $"--container-runtime-endpoint={shim}", $"--image-service-endpoint={shim}",
            $"--root-dir={Path.Combine(Directory, "kubelet")}", $"--cert-dir={Path.Combine(Directory, "kubelet-pki")}",
            $"--volume-plugin-dir={Path.Combine(Directory, "kubelet-plugins")}",
            $"--experimental-dockershim-root-directory={Path.Combine(Directory, "dockershim")}",
            $"--seccomp-profile-root={Path.Combine(Directory, "kubelet", "seccomp")}",
            $"--node-ip={Address}", $"--address={Address}", $"--hostname-override={Name}",
            $"--node-labels=topology.kubernetes.io/zone={Zone}",
            "--read-only-port=0", "--healthz-port=0",
            // Only the API server's clients may call it (logs, exec), not anonymous callers.
            "--anonymous-auth=false", $"--client-ca-file={cluster.Certificates.CaCertificate}",
            "--fail-swap-on=false", "--cgroup-driver=cgroupfs", "--cgroups-per-qos=false", "--enforce-node-allocatable=",
            // The images exist only here: never collect them, never evict for a shared disk's fill level.
            "--image-gc-high-threshold=100", "--image-gc-low-threshold=99",
            "--eviction-hard=memory.available<1Mi,nodefs.available<1%,imagefs.available<1%",
            // A pod's traffic to a Service that leads back to the pod itself (kube-proxy) returns through its own port.
            "--hairpin-mode=hairpin-veth",
            "--max-pods=40", "--v=1",
        ]);
    }

    /// <summary>
    /// Pauses every running container of the node (the cgroup freezer), as a machine that hangs; the kubelet goes on.
    /// Returns them for <see cref="ThawAsync"/>, and when the pause began (the fault's time).
    /// </summary>
    public async Task<(IReadOnlyList<string> Containers, long FrozenAt)> FreezeAsync(CancellationToken ct)
    {
        var running = (await DockerAsync(["ps", "-q"], ct).ConfigureAwait(false)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var frozenAt = Stopwatch.GetTimestamp();
        await DockerAsync(["pause", .. running], ct).ConfigureAwait(false);
        return (running, frozenAt);
    }

    /// <returns>Whether every container was still there to thaw (a pod deleted meanwhile takes its containers with it).</returns>
    public async Task<bool> ThawAsync(IReadOnlyList<string> frozen, CancellationToken ct) =>
        (await DockerAsync(["unpause", .. frozen], ct, check: false).ConfigureAwait(false)).Exit == 0;

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
