using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>
/// A real Kubernetes control plane for tests: Debian's etcd, kube-apiserver and kube-controller-manager (for
/// garbage collection of owner references and the service-account machinery), all on 127.0.0.1 with ports chosen
/// free at start, certificates of its own, RBAC on, and an admin token in a token file. Everything lives in one
/// directory under the temp folder and every process it started is stopped by pid.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public const string AdminUser = "redoubt-test-admin";

    // On a 2-core machine shared with other test suites the API server needs ~5 s when quiet, much more when not.
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(3);
    /// <summary>The <c>kubernetes</c> Service's address, which pods are told (and the serving certificate names).</summary>
    public static readonly IPAddress KubernetesServiceAddress = IPAddress.Parse("10.96.0.1");
    private const string ServiceClusterIpRange = "10.96.0.0/16";
    private const string ServiceAccountIssuer = "https://kubernetes.default.svc.cluster.local";

    private readonly string _binaries;
    private readonly int _etcdClientPort;
    private readonly int _etcdPeerPort;
    private readonly string _adminToken;
    private readonly List<ClusterProcess> _processes = [];
    private ClusterProcess? _apiServer;

    private readonly string _bindAddress;
    private readonly string? _advertiseAddress;

    private TestCluster(string directory, string binaries, int apiServerPort, int etcdClientPort, int etcdPeerPort, string bindAddress, string? advertiseAddress)
    {
        Directory = directory;
        _bindAddress = bindAddress;
        _advertiseAddress = advertiseAddress;
        _binaries = binaries;
        ApiServerPort = apiServerPort;
        _etcdClientPort = etcdClientPort;
        _etcdPeerPort = etcdPeerPort;
        _adminToken = NewToken();
        Certificates = ClusterCertificates.Create(directory, KubernetesServiceAddress);
        AdminKubeconfig = WriteKubeconfig(AdminUser, _adminToken);
    }

    public string Directory { get; }
    public int ApiServerPort { get; }
    public string ApiServerUrl => $"https://127.0.0.1:{ApiServerPort}";
    public ClusterCertificates Certificates { get; }

    /// <summary>A kubeconfig for a user in <c>system:masters</c>, for setting tests up (never for the operator).</summary>
    public string AdminKubeconfig { get; }

    /// <param name="apiServerBindAddress">
    /// Where the API server listens: loopback, or 0.0.0.0 only inside a network namespace a run created for itself
    /// (pods reach it there through the <c>kubernetes</c> Service's address, <see cref="KubernetesServiceAddress"/>).
    /// </param>
    /// <param name="advertiseAddress">
    /// The address the API server writes into the <c>kubernetes</c> Service's Endpoints, for a kube-proxy to map the
    /// Service's 443 to; null: loopback, and the Service gets no endpoints.
    /// </param>
    public static async Task<TestCluster> StartAsync(CancellationToken ct, string apiServerBindAddress = "127.0.0.1", string? advertiseAddress = null)
    {
        var binaries = await KubeBinaries.EnsureAsync(ct);
        ClusterDirectories.RemoveAbandoned();
        var ports = FreePorts(3);
        var cluster = new TestCluster(ClusterDirectories.Create(), binaries, ports[0], ports[1], ports[2], apiServerBindAddress, advertiseAddress);
        try
        {
            await cluster.StartProcessesAsync(ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public IKubernetes AdminClient() => Client(AdminKubeconfig);

    public static IKubernetes Client(string kubeconfig) =>
        new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

    /// <summary>Writes a kubeconfig (mode 0600) for <paramref name="user"/> authenticated by <paramref name="token"/>.</summary>
    /// <param name="server">The API server's URL; null: the cluster's first one.</param>
    public string WriteKubeconfig(string user, string token, string? server = null)
    {
        var ca = Convert.ToBase64String(Encoding.ASCII.GetBytes(Certificates.CaPem));
        var path = Path.Combine(Directory, $"{user.Replace(':', '-')}{(server is null ? "" : "-" + new Uri(server).Port)}.kubeconfig");
        ClusterCertificates.WritePrivate(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: redoubt-test
              cluster:
                server: {server ?? ApiServerUrl}
                certificate-authority-data: {ca}
            users:
            - name: {user}
              user:
                token: {token}
            contexts:
            - name: {user}
              context:
                cluster: redoubt-test
                user: {user}
            current-context: {user}

            """);
        return path;
    }

    /// <summary>
    /// A kubeconfig that authenticates as the ServiceAccount <paramref name="name"/> with a token the API server issues
    /// for it (TokenRequest), so RBAC sees exactly that ServiceAccount and its groups.
    /// </summary>
    /// <param name="server">The API server's URL; null: the cluster's first one.</param>
    public async Task<string> ServiceAccountKubeconfigAsync(string ns, string name, CancellationToken ct, string? server = null)
    {
        using var admin = AdminClient();
        var request = new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 3600 } };
        var issued = await admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, name, ns, cancellationToken: ct);
        return WriteKubeconfig($"system:serviceaccount:{ns}:{name}", issued.Status.Token, server);
    }

    /// <summary>
    /// A second API server on the same etcd (as in a highly available control plane), without the watch cache: its
    /// watches are served by etcd itself, so one resumed from a revision etcd has compacted away gets the real
    /// <c>410 Gone</c>, which the first server's cache (it keeps every change a test can make, and sends bookmarks)
    /// never sends. It stops with the cluster, or when the test disposes its process.
    /// </summary>
    public async Task<(ClusterProcess Process, string Url)> StartUncachedApiServerAsync(CancellationToken ct)
    {
        var port = FreePorts(1)[0];
        var url = $"https://127.0.0.1:{port}";
        var process = Start($"kube-apiserver-uncached-{port}", Path.Combine(_binaries, "kube-apiserver"),
            [.. ApiServerArguments(port, $"apiserver-certs-{port}"), "--watch-cache=false"]);
        await WaitForApiServerAsync(url, ct);
        return (process, url);
    }

    /// <summary>
    /// Compacts etcd's history up to its current revision (through etcd's JSON gateway, as <c>etcdctl compact</c>
    /// would): a watch that resumes from any older revision is then refused. Returns the revision.
    /// </summary>
    public async Task<long> CompactEtcdAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_etcdClientPort}") };
        // Any key: the reply's header carries the store's current revision.
        using var range = await http.PostAsync("/v3/kv/range", new StringContent("""{"key":"AA=="}""", Encoding.UTF8, "application/json"), ct);
        range.EnsureSuccessStatusCode();
        var revision = long.Parse(System.Text.Json.JsonDocument.Parse(await range.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("header").GetProperty("revision").GetString()!,
            System.Globalization.CultureInfo.InvariantCulture);
        using var compaction = await http.PostAsync("/v3/kv/compaction",
            new StringContent($$"""{"revision":"{{revision}}","physical":true}""", Encoding.UTF8, "application/json"), ct);
        if (!compaction.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"etcd refused the compaction to revision {revision}: {(int)compaction.StatusCode} {await compaction.Content.ReadAsStringAsync(ct)}");
        }

        return revision;
    }

    /// <summary>A namespace of its own for one test, named after <paramref name="prefix"/>.</summary>
    public async Task<string> CreateNamespaceAsync(string prefix, CancellationToken ct)
    {
        using var admin = AdminClient();
        var name = $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: ct);
        return name;
    }

    /// <summary>
    /// Kills the API server (SIGKILL, as a crash: on SIGTERM it holds its watch connections open for seconds) and
    /// starts it again on the same port and etcd; waits until it is ready.
    /// </summary>
    public async Task RestartApiServerAsync(CancellationToken ct)
    {
        if (_apiServer is not null)
        {
            await _apiServer.KillAsync();
            await _apiServer.DisposeAsync();
            _processes.Remove(_apiServer);
        }

        _apiServer = Start("kube-apiserver", Path.Combine(_binaries, "kube-apiserver"), ApiServerArguments());
        await WaitForApiServerAsync(ApiServerUrl, ct);
    }

    public async ValueTask DisposeAsync()
    {
        // The controller manager first, etcd last: each stops while what it talks to still answers.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }

        _processes.Clear();
        // REDOUBT_TEST_KEEP=1 keeps the logs (etcd, API server, controller manager, each operator) until the next run.
        if (Environment.GetEnvironmentVariable("REDOUBT_TEST_KEEP") != "1")
        {
            ClusterDirectories.Remove(Directory);
        }
    }

    private async Task StartProcessesAsync(CancellationToken ct)
    {
        var etcdData = Path.Combine(Directory, "etcd");
        System.IO.Directory.CreateDirectory(etcdData);
        var etcdClient = $"http://127.0.0.1:{_etcdClientPort}";
        var etcdPeer = $"http://127.0.0.1:{_etcdPeerPort}";
        Start("etcd", "etcd",
        [
            "--name=redoubt-test", $"--data-dir={etcdData}", "--logger=zap", "--log-level=warn",
            $"--listen-client-urls={etcdClient}", $"--advertise-client-urls={etcdClient}",
            $"--listen-peer-urls={etcdPeer}", $"--initial-advertise-peer-urls={etcdPeer}",
            $"--initial-cluster=redoubt-test={etcdPeer}",
            // A test cluster's data dies with it: durability only costs time on a shared disk.
            "--unsafe-no-fsync",
        ]);

        // Tokens in a file, never on a command line: "token,user,uid,groups".
        ClusterCertificates.WritePrivate(Path.Combine(Directory, "tokens.csv"),
            $"{_adminToken},{AdminUser},{AdminUser},\"system:masters\"\n");

        _apiServer = Start("kube-apiserver", Path.Combine(_binaries, "kube-apiserver"), ApiServerArguments());
        await WaitForApiServerAsync(ApiServerUrl, ct);

        Start("kube-controller-manager", Path.Combine(_binaries, "kube-controller-manager"),
        [
            $"--kubeconfig={AdminKubeconfig}",
            "--bind-address=127.0.0.1", "--secure-port=0", "--port=0",
            "--leader-elect=false",
            $"--service-account-private-key-file={Certificates.ServiceAccountKey}",
            $"--root-ca-file={Certificates.CaCertificate}",
            $"--service-cluster-ip-range={ServiceClusterIpRange}",
        ]);
        await WaitForControllerManagerAsync(ct);
    }

    private string[] ApiServerArguments() => ApiServerArguments(ApiServerPort, "apiserver-certs");

    private string[] ApiServerArguments(int port, string certificates) =>
    [
        $"--etcd-servers=http://127.0.0.1:{_etcdClientPort}",
        $"--bind-address={_bindAddress}", $"--secure-port={port}", "--insecure-port=0",
        // Loopback only: the `kubernetes` Service gets no endpoints rather than the host's address. Or a node's
        // address inside a run's own network namespace, which its kube-proxy maps the Service to.
        .. _advertiseAddress is null
            ? new[] { "--advertise-address=127.0.0.1", "--endpoint-reconciler-type=none" }
            : [$"--advertise-address={_advertiseAddress}", "--endpoint-reconciler-type=lease"],
        $"--cert-dir={Path.Combine(Directory, certificates)}",
        $"--tls-cert-file={Certificates.ServingCertificate}", $"--tls-private-key-file={Certificates.ServingKey}",
        $"--client-ca-file={Certificates.CaCertificate}",
        $"--token-auth-file={Path.Combine(Directory, "tokens.csv")}",
        "--authorization-mode=RBAC",
        $"--service-account-issuer={ServiceAccountIssuer}",
        $"--service-account-key-file={Certificates.ServiceAccountKey}",
        $"--service-account-signing-key-file={Certificates.ServiceAccountKey}",
        $"--service-cluster-ip-range={ServiceClusterIpRange}",
        "--profiling=false",
    ];

    /// <summary>
    /// Starts a process that belongs to this cluster's run (an operator, say): its log is <c>NAME.log</c> in the
    /// cluster's directory, and it is stopped with the cluster unless the test stops it first.
    /// </summary>
    public ClusterProcess Start(string name, string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var process = ClusterProcess.Start(name, executable, arguments, Path.Combine(Directory, $"{name}.log"),
            pid => ClusterDirectories.RecordPid(Directory, pid), environment);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    private async Task WaitForApiServerAsync(string url, CancellationToken ct)
    {
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, chain, _) => Certificates.Validate(certificate, chain),
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _adminToken);
        var last = "no answer yet";
        await WaitAsync("kube-apiserver to answer /readyz", async () =>
        {
            try
            {
                using var response = await http.GetAsync($"{url}/readyz", ct);
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}";
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
                return false;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                last = "timed out";
                return false;
            }
        }, () => last, ct);
    }

    /// <summary>The controller manager runs once it has given the default namespace its ServiceAccount.</summary>
    private async Task WaitForControllerManagerAsync(CancellationToken ct)
    {
        using var admin = AdminClient();
        await WaitAsync("kube-controller-manager to create the default ServiceAccount", async () =>
        {
            try
            {
                await admin.CoreV1.ReadNamespacedServiceAccountAsync("default", "default", cancellationToken: ct);
                return true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }, () => "no ServiceAccount default/default", ct);
    }

    private async Task WaitAsync(string what, Func<Task<bool>> done, Func<string> lastState, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartDeadline)
        {
            ct.ThrowIfCancellationRequested();
            // Only the control plane's own processes: an operator a test started may come and go.
            ClusterProcess? exited;
            lock (_processes)
            {
                exited = _processes.FirstOrDefault(p => p.HasExited && (p.Name is "etcd" or "kube-controller-manager" || p.Name.StartsWith("kube-apiserver", StringComparison.Ordinal)));
            }

            if (exited is not null)
            {
                throw new InvalidOperationException($"{exited.Name} exited while waiting for {what}; the end of {exited.LogPath}:\n{exited.LogTail()}");
            }

            if (await done())
            {
                return;
            }

            await Task.Delay(200, ct);
        }

        var logs = string.Join("\n", _processes.Select(p => $"--- {p.LogPath}\n{p.LogTail(15)}"));
        throw new TimeoutException($"waited {StartDeadline.TotalSeconds} s for {what} (last: {lastState()}); the processes' logs:\n{logs}");
    }

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private static int[] FreePorts(int count)
    {
        // Hold every listener until all are chosen, so the ports differ.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
