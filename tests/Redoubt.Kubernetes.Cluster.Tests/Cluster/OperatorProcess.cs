namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>
/// `redoubt operator` as a process of its own, authenticated by a kubeconfig of the operator's ServiceAccount: through
/// <c>$KUBECONFIG</c> or <c>--kubeconfig</c>, as users run it. Its HOME is empty, so no ~/.kube/config can stand in.
/// </summary>
internal sealed class OperatorProcess
{
    private readonly ClusterProcess _process;
    private bool _ended;

    private OperatorProcess(string identity, ClusterProcess process)
    {
        Identity = identity;
        _process = process;
    }

    public string Identity { get; }
    public string LogPath => _process.LogPath;
    public bool HasExited => _process.HasExited;

    /// <summary>It exited without the test stopping or killing it: a crash, or a start-up error.</summary>
    public bool Crashed => _process.HasExited && !_ended;

    /// <param name="options">More of `redoubt operator`'s options, e.g. <c>--redis-image</c>.</param>
    public static OperatorProcess Start(TestCluster cluster, string kubeconfig, string identity, bool kubeconfigFromEnvironment = true, IEnumerable<string>? options = null)
    {
        var home = Path.Combine(cluster.Directory, $"home-{identity}");
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["POD_NAME"] = identity,
            ["POD_NAMESPACE"] = OperatorInstall.Namespace,
            ["KUBECONFIG"] = kubeconfigFromEnvironment ? kubeconfig : null,
            ["DOTNET_NOLOGO"] = "1",
            // /metrics on any free loopback port: the default (every interface, 9480) is one port for one pod, and the
            // tests run two operators at once (the Lease hand-over), beside other test runs.
            ["REDOUBT_WEB"] = "127.0.0.1:0",
        };
        List<string> arguments = [Path.Combine(AppContext.BaseDirectory, "redoubt.dll"), "operator"];
        if (!kubeconfigFromEnvironment)
        {
            arguments.Add($"--kubeconfig={kubeconfig}");
        }

        arguments.AddRange(options ?? []);

        return new OperatorProcess(identity, cluster.Start($"operator-{identity}", "dotnet", arguments, environment));
    }

    public string LogTail(int lines = 40) => _process.LogTail(lines);

    /// <summary>SIGTERM: the operator finishes its passes and hands the Lease over.</summary>
    public Task StopAsync()
    {
        _ended = true;
        return _process.StopAsync();
    }

    /// <summary>SIGKILL: the Lease stays held until it expires.</summary>
    public Task KillAsync()
    {
        _ended = true;
        return _process.KillAsync();
    }
}
