using System.Globalization;

namespace Redoubt.Bench;

/// <summary>
/// The command line: <c>failover [--quick] [--kills N] [--runs N] [--saturation SECONDS] [--only a,b,c,d,e] [--keep]</c>,
/// <c>ready</c>, <c>fuzz [--cases N] [--seed S] [--api N]</c>, <c>storm [--faults N] [--seed S] [--kinds K,K] [--partitions] [--keep]</c>, <c>scale [--resources N] [--keep]</c>, <c>pods [--runs N] [--only kpfzorb] [--tls] [--keep]</c>, <c>dashboard [--kills N] [--keep]</c>, <c>clients [--runs N] [--keep]</c>.
/// </summary>
internal sealed class BenchOptions
{
    public string Command { get; private init; } = "failover";

    public int Kills { get; private init; } = 5;

    /// <summary>Runs of the planned switchover and of each client variant; clients: runs of the kill -9 and switchover.</summary>
    public int Runs { get; private init; } = 3;

    public TimeSpan Saturation { get; private init; } = TimeSpan.FromSeconds(60);

    /// <summary>Parts to run: a (Redoubt faults), b (baseline faults), c (switchover, rolling restart), d (C# client), e (false failovers).</summary>
    public string Parts { get; private init; } = "abcde";

    public bool Keep { get; private init; }

    /// <summary>Storm: the kinds of fault to draw from.</summary>
    public Storm.FaultKind[] Kinds { get; private init; } = Storm.FaultKinds.Default;

    /// <summary>storm: zone partitions are among the kinds, so the storm runs inside a network namespace of its own.</summary>
    public bool Partitions => Kinds.Any(Storm.FaultKinds.IsPartition);

    /// <summary>Whether the command runs inside a network namespace of its own: a storm with partitions, and pods.</summary>
    public bool NeedsNamespace => Command == "pods" || (Command == "storm" && Partitions);

    /// <summary>
    /// storm: set when this process is the storm re-executed inside the namespace <see cref="StormNamespace"/> created
    /// (the namespace's name); null in the process started by the user.
    /// </summary>
    public string? InsideNamespace { get; private init; }

    /// <summary>With <see cref="InsideNamespace"/>: the identity of the namespace the run was started from, the host's.</summary>
    public string? HostNamespace { get; private init; }

    public bool Quick { get; private init; }

    /// <summary>The Redoubt resource of <c>failover</c> or <c>pods</c> with <c>tls.enabled: true</c>; its writers and clients speak TLS.</summary>
    public bool Tls { get; private init; }

    /// <summary>storm: faults in all, shared between the two faulted resources.</summary>
    public int Faults { get; private init; } = 200;

    /// <summary>storm: the seed of the fault plan; printed so a run can be repeated.</summary>
    public int Seed { get; private init; }

    /// <summary>fuzz: hostile files to generate and check.</summary>
    public int Cases { get; private init; } = 100_000;

    /// <summary>fuzz: hostile requests for the control API of a control plane started for the run (0: none).</summary>
    public int ApiRequests { get; private init; }

    /// <summary>backup: the dataset's size in MiB.</summary>
    public int Megabytes { get; private init; } = 1024;

    /// <summary>scale: resources on one control plane.</summary>
    public int Resources { get; private init; } = 50;

    /// <summary>How long the whole command may run: a storm of 200 faults takes about half an hour on two cores.</summary>
    public TimeSpan Limit => Command switch
    {
        "storm" => TimeSpan.FromMinutes(45),
        "scale" => TimeSpan.FromMinutes(30),
        "pods" => TimeSpan.FromMinutes(40),
        "fuzz" => TimeSpan.FromMinutes(60),
        "dashboard" => TimeSpan.FromMinutes(15),
        _ => TimeSpan.FromMinutes(20),
    };

    public bool Includes(char part) => Parts.Contains(part, StringComparison.Ordinal);

    /// <summary>Whether --only was given: the pods command's letters overlap the failover command's default parts.</summary>
    public bool OnlyGiven { get; private init; }

    public const string Usage = """
        usage: dotnet run -c Release --project bench/Redoubt.Bench -- COMMAND [options]

        commands:
          failover   kill -9 and SIGSTOP of the master on Redoubt and on plain Redis + Sentinel, planned switchover and rolling restart,
                     a StackExchange.Redis client with and without Redoubt.Client, and false failovers under load
          ready      time from apply to Ready for a new resource
          storm      randomized faults (kill -9 / SIGSTOP of master and replicas, kill -9 of a Sentinel, control-plane crash,
                     with --partitions zone partitions) on two resources under writers at once, with load on a third; what
                     the writers and every Sentinel saw
          scale      N resources on one control plane: time to Ready, idle CPU and RSS, failover gap next to a single resource
          metrics    N resources (default 10) on one control plane: idle CPU without metrics, then with them scraped every 5 s
          pods       the operator on a real Kubernetes 1.20 with real pods (Docker, kubelet, scheduler in a network namespace
                     of its own; needs root): a writer through the Sentinels while the master's container is killed, the
                     master pod is deleted, the master is frozen and the template rolls; the rfrm Service's Endpoints
          dashboard  `redoubt serve` with 1 then 10 resources: its idle CPU and RSS without and with a client on the dashboard's
                     live feed; then kill -9 of a master (--kills times): status saved -> event at a feed client, and -> the
                     page in chromium drawing it
          backup     a backup and a restore of a --mb MiB dataset (default 1024): their times, and the master's write latency
                     with no backup, during Redoubt's backup (from a replica) and during a snapshot from the master (baseline)
          clients    redis-py, ioredis and StackExchange.Redis (the printed connection string) through the Sentinels, writing at
                     once through a kill -9 of the master and a planned switchover: each client's gap per run and median, writes lost
          endpoint   redis-benchmark (pipelined SET and GET) through the local master endpoint and, as the baseline in the same
                     run, at the master's own address, alternating (--runs times each, at least 3): medians and their ratio
          fuzz       hostile resource files (wrong types, huge and odd strings, injections, tags, anchors and alias bombs,
                     deep nesting, duplicate keys, directives, several documents) generated from examples/*.yaml: each is
                     loaded and, when accepted, rendered; counts, every broken contract, and the time per case

        options:
          --quick              2 kills, 2 runs, 20 s of saturation
          --tls                failover: the Redoubt resource with tls.enabled: true, every writer and client over TLS
                               (the baseline stays plain Redis + Sentinel); pods: the same for the resource on pods
          --kills N            kill -9 events per setup (default 5); dashboard: kills of the master measured
          --runs N             runs of the switchover and of each client variant (default 3); clients: runs of the kill and switchover
          --saturation SEC     seconds of saturating load (default 60)
          --only PARTS         any of a (Redoubt faults) b (baseline faults) c (switchover, rolling restart) d (client) e (false failovers);
                               pods: any of k (container kill) p (pod delete) f (freeze) z (the master's zone frozen) o (the operator
                               leader's zone frozen 25 s) r (rolling update) b (a backup and a restore, each a Job, through a bucket)
          --faults N           storm: faults in all, over two resources (default 200)
          --seed S             storm: seed of the fault plan; fuzz: seed of the files (default: random, printed)
          --cases N            fuzz: hostile files to check (default 100000)
          --api N              fuzz: then N hostile requests on the socket of a control plane started for the run
          --kinds K,K          storm: only these faults: master-kill replica-kill sentinel-kill master-stop replica-stop control-plane-kill
                               master-partition replica-partition (partition: both)
          --partitions         storm: add zone partitions (2-6 s) to the faults; needs root: the storm then runs inside a network
                               namespace it creates, and nothing is added to the host's addresses, routes or firewall
          --mb N               backup: size of the dataset in MiB (default 1024)
          --resources N        scale: resources on one control plane (default 50); metrics: (default 10)
          --runs N             pods: runs of each fault (default 3)
          --keep               keep the temporary home (configs, node logs) after the run
        """;

    public static BenchOptions? Parse(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "failover";
        var quick = args.Contains("--quick");
        var tls = args.Contains("--tls");
        int kills = quick ? 2 : 5, runs = quick ? 2 : 3;
        var saturation = TimeSpan.FromSeconds(quick ? 20 : 60);
        var parts = "abcde";
        var onlyGiven = false;
        var keep = false;
        var megabytes = 1024;
        int faults = 200, resources = command == "metrics" ? 10 : 50, cases = 100_000, apiRequests = 0;
        var seed = Random.Shared.Next(1, 1_000_000);
        var kinds = Storm.FaultKinds.Default;
        var partitions = false;
        string? inside = null, hostNamespace = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--kills":
                    kills = Number(args, ++i);
                    break;
                case "--runs":
                    runs = Number(args, ++i);
                    break;
                case "--saturation":
                    saturation = TimeSpan.FromSeconds(Number(args, ++i));
                    break;
                case "--only":
                    parts = i + 1 < args.Length ? args[++i].Replace(",", "", StringComparison.Ordinal) : "";
                    onlyGiven = true;
                    break;
                case "--faults":
                    faults = Number(args, ++i);
                    break;
                case "--seed":
                    seed = Number(args, ++i);
                    break;
                case "--kinds":
                    if (Storm.FaultKinds.Parse(i + 1 < args.Length ? args[++i] : null) is not { } named)
                    {
                        return null;
                    }

                    kinds = named;
                    break;
                case "--cases":
                    cases = Number(args, ++i);
                    break;
                case "--api":
                    apiRequests = Number(args, ++i);
                    break;
                case "--mb":
                    megabytes = Number(args, ++i);
                    break;
                case "--resources":
                    resources = Number(args, ++i);
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "--partitions":
                    partitions = true;
                    break;
                case StormNamespace.InsideMarker:
                    inside = i + 1 < args.Length ? args[++i] : null;
                    break;
                case StormNamespace.HostMarker:
                    hostNamespace = i + 1 < args.Length ? args[++i] : null;
                    break;
                case "--help" or "-h":
                    return null;
            }
        }

        if (partitions)
        {
            kinds = [.. kinds.Union(Storm.FaultKinds.Partitions)];
        }

        return command is "failover" or "ready" or "storm" or "scale" or "metrics" or "pods" or "fuzz" or "dashboard" or "clients" or "backup" or "endpoint" && (inside is null) == (hostNamespace is null)
            ? new BenchOptions
            {
                Command = command, Megabytes = megabytes, Kills = kills, Runs = runs, Saturation = saturation, Parts = parts, OnlyGiven = onlyGiven, Keep = keep, Quick = quick, Faults = faults, Seed = seed,
                Resources = resources, Cases = cases, ApiRequests = apiRequests, Kinds = kinds, InsideNamespace = inside, HostNamespace = hostNamespace, Tls = tls,
            }
            : null;
    }

    private static int Number(string[] args, int i) =>
        i < args.Length && int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{args[i - 1]} needs a positive number");
}
