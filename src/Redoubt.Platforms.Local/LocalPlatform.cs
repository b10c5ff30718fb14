using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Redoubt.Core;
using Redoubt.Core.Access;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Tls;

namespace Redoubt.Platforms.Local;

/// <summary>
/// The local platform: real redis-server and redis-sentinel processes under the home folder, one loopback address
/// per zone, ports allocated once. It creates, adopts, restarts and removes processes; roles are the healer's business.
/// </summary>
public sealed partial class LocalPlatform : IRedisPlatform, IAsyncDisposable
{
    /// <summary>Every node shares this machine, so persistence defaults to what survives the machine's crash.</summary>
    public Model.PlatformDefaults Defaults => Model.PlatformDefaults.Local;

    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly LocalOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly PortAllocator _ports;
    private readonly ConcurrentDictionary<(string Resource, string Node), NodeProcess> _processes = new();
    private readonly ConcurrentDictionary<(string Resource, string Node), RestartBackoff> _backoff = new();
    // The process each node was fenced in: its exit is Redoubt's doing, never a sign of a crash loop.
    private readonly ConcurrentDictionary<(string Resource, string Node), int> _fenced = new();
    private readonly Channel<NodeEvent> _events = Channel.CreateUnbounded<NodeEvent>();
    // Passes and `credentials` read the passwords concurrently: one rotation request must make one new password.
    private readonly Lock _secretsLock = new();

    public LocalPlatform(LocalOptions options, ILogger logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _ports = new PortAllocator(options.Home);
    }

    /// <summary>Exits the platform saw and did not cause: the reconciler's fast path starts here.</summary>
    public ChannelReader<NodeEvent> NodeEvents => _events.Reader;

    /// <summary>
    /// For tests: an event this platform never sees itself, as another platform reports it (a pod being deleted while
    /// its process still runs, say).
    /// </summary>
    internal void Report(NodeEvent nodeEvent) => _events.Writer.TryWrite(nodeEvent);

    internal ResourceFolder Folder(string @namespace, string name) => new(_options.Home, @namespace, name);

    private ResourceFolder Folder(ResourcePlan plan) => Folder(plan.Namespace, plan.Name);

    public string ZoneAddress(ResourcePlan plan, string zone)
    {
        var index = plan.Spec.Zones.ToList().IndexOf(zone);
        return $"{_options.ZoneNetwork}.0.{index + 1}";
    }

    /// <summary>
    /// A Redis node's own address. Every Redis node of a resource has the same port (so that the master can also serve
    /// the master endpoint on it), so two nodes in one zone need two addresses: the zone's for the first, then
    /// <c>{network}.K.Z</c> for the K-th more (Z the zone's number). Sentinels keep the zone's address.
    /// </summary>
    private string RedisHost(ResourcePlan plan, PlannedNode node)
    {
        var zone = plan.Spec.Zones.ToList().IndexOf(node.Zone) + 1;
        var before = plan.RedisNodes.Count(n => n.Zone == node.Zone && n.Ordinal < node.Ordinal);
        return before switch
        {
            0 => ZoneAddress(plan, node.Zone),
            < 255 => $"{_options.ZoneNetwork}.{before}.{zone}",
            _ => throw new RedoubtException($"{plan.Key} has more than 255 Redis nodes in zone {node.Zone}; add zones"),
        };
    }

    /// <summary>
    /// The address of the resource's master endpoint, on its resource's port: loopback, shared by every resource of the
    /// home; with <c>external: true</c>, the machine's own address (<see cref="LocalOptions.ExternalAddress"/>).
    /// </summary>
    private string EndpointHost(ResourcePlan plan) => plan.Spec.External
        ? _options.ExternalAddress ?? throw new RedoubtException($"{plan.Key} is external but this machine has no address other than loopback; set REDOUBT_EXTERNAL_ADDRESS")
        : $"{_options.ZoneNetwork}.255.1";

    /// <summary>
    /// The endpoint saved with the resource (see <see cref="PortAllocator.SharedPortAddressOf"/>). None when the zones run
    /// in network namespaces (the endpoint's address is on this side only), or for a resource created before endpoints.
    /// </summary>
    public string? MasterEndpoint(ResourcePlan plan) =>
        _options.ZoneNamespaces is null ? PortAllocator.EndpointOf(Folder(plan)) : null;

    /// <summary>The network namespace a zone's nodes run in, or null for the control plane's own.</summary>
    private string? ZoneNamespace(ResourcePlan plan, string zone)
    {
        if (_options.ZoneNamespaces is not { } namespaces)
        {
            return null;
        }

        var index = plan.Spec.Zones.ToList().IndexOf(zone);
        return index < namespaces.Count
            ? namespaces[index]
            : throw new RedoubtException($"zone {zone} of {plan.Key} has no network namespace: {namespaces.Count} are configured for {plan.Spec.Zones.Count} zones");
    }

    /// <summary>
    /// Each password in a file of its own (mode 0600 in the 0700 resource folder), created on first use and kept: the
    /// application's only when auth is on, Redoubt's own users' always. A resource created before ACL users gets
    /// theirs here, and the healer adds the users to its running nodes. The application password is rotated here when
    /// the resource asks (<see cref="PasswordRotation"/>); the rotation is stored before the new password, so a control
    /// plane stopped between the two writes carries it out at its next start.
    /// </summary>
    public Task<ResourceSecrets> EnsureSecretsAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        var folder = Folder(plan);
        lock (_secretsLock)
        {
            folder.EnsureRoot();
            var application = plan.Spec.AuthEnabled ? EnsureApplicationPassword(plan, folder) : null;
            var own = new RedoubtPasswords(EnsurePassword(folder.AdminSecretFile), EnsurePassword(folder.ReplicationSecretFile), EnsurePassword(folder.SentinelSecretFile));
            return Task.FromResult(Secrets(application, own));
        }
    }

    private StoredApplicationPassword EnsureApplicationPassword(ResourcePlan plan, ResourceFolder folder)
    {
        if (ReadPassword(folder.SecretFile) is not { } existing)
        {
            var created = PasswordRotation.Created(Passwords.Generate(), plan.PasswordRotation);
            AtomicFile.Write(folder.RotationFile, RotationRecord.Write(created));
            AtomicFile.Write(folder.SecretFile, created.Password + "\n");
            return created;
        }

        var stored = RotationRecord.Read(existing, AtomicFile.ReadOrNull(folder.RotationFile));
        var next = PasswordRotation.Next(stored, plan.PasswordRotation, _time.GetUtcNow(), Passwords.Generate);
        if (next != stored)
        {
            AtomicFile.Write(folder.RotationFile, RotationRecord.Write(next));
            if (next.Password != stored.Password)
            {
                AtomicFile.Write(folder.SecretFile, next.Password + "\n");
            }
        }

        return next;
    }

    private static ResourceSecrets Secrets(StoredApplicationPassword? application, RedoubtPasswords? own) =>
        new(application?.Password, own) { Retiring = application?.Retiring, RotationRequest = application?.Handled };

    private static string EnsurePassword(string file)
    {
        if (ReadPassword(file) is { } existing)
        {
            return existing;
        }

        var password = Passwords.Generate();
        AtomicFile.Write(file, password + "\n");
        return password;
    }

    private static string? ReadPassword(string file) => AtomicFile.ReadOrNull(file)?.Trim() is { Length: > 0 } password ? password : null;

    /// <summary>The passwords as they are on disk, creating and rotating nothing (a read-only check).</summary>
    private static ResourceSecrets StoredSecrets(ResourcePlan plan, ResourceFolder folder)
    {
        var application = plan.Spec.AuthEnabled && ReadPassword(folder.SecretFile) is { } password ? RotationRecord.Read(password, AtomicFile.ReadOrNull(folder.RotationFile)) : null;
        return Secrets(application, ReadPassword(folder.AdminSecretFile) is { } admin && ReadPassword(folder.ReplicationSecretFile) is { } replication && ReadPassword(folder.SentinelSecretFile) is { } sentinel
            ? new RedoubtPasswords(admin, replication, sentinel)
            : null);
    }

    /// <summary>The CA of a TLS resource, in its folder (see <see cref="LocalCertificates"/>), created on first use.</summary>
    public Task<ServerTrust?> EnsureTlsAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        if (!plan.Spec.TlsEnabled)
        {
            return Task.FromResult<ServerTrust?>(null);
        }

        var folder = Folder(plan);
        Directory.CreateDirectory(folder.Root, ResourceFolder.PrivateDirectory);
        return Task.FromResult<ServerTrust?>(LocalCertificates.EnsureAuthority(plan, folder, _time.GetUtcNow()));
    }

    public async Task<IReadOnlyList<NodeState>> EnsureAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        var folder = Folder(plan);
        folder.EnsureRoot();
        var secrets = await EnsureSecretsAsync(plan, cancellationToken).ConfigureAwait(false);
        var uid = Uid(folder);
        var states = new List<NodeState>();
        foreach (var node in plan.RedisNodes.Concat(plan.Sentinels))
        {
            states.Add(EnsureNode(plan, folder, node, secrets, uid));
        }

        await RemoveSurplusAsync(plan, folder).ConfigureAwait(false);
        return states;
    }

    public Task<IReadOnlyList<NodeState>> CheckAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        var folder = Folder(plan);
        var ports = PortAllocator.Load(folder);
        var secrets = StoredSecrets(plan, folder);
        var uid = AtomicFile.ReadOrNull(folder.UidFile)?.Trim() ?? "";
        IReadOnlyList<NodeState> states = [.. plan.RedisNodes.Concat(plan.Sentinels).Select(node =>
        {
            var address = ports.GetValueOrDefault(node.Name);
            var process = Running(plan.Key, folder, node);
            var (host, port) = address is null ? ((string?)null, 0) : Endpoints.Parse(address);
            var tls = plan.Spec.TlsEnabled ? LocalCertificates.Stored(folder, node.Name) : null;
            var outdated = process is null || host is null
                ? null
                : Outdated(folder, node, RevisionOf(plan, node, Configure(plan, folder, node, host, port, secrets, uid, tls)));
            return new NodeState(node.Kind, node.Name, node.Zone, process is null ? NodeLifecycle.Exited : NodeLifecycle.Running, host, port, process?.Pid, process?.Since, outdated, tls?.Issued);
        })];
        return Task.FromResult(states);
    }

    public async Task RestartNodeAsync(ResourcePlan plan, string nodeName, CancellationToken cancellationToken)
    {
        if (_processes.TryRemove((plan.Key, nodeName), out var process))
        {
            await process.StopAsync(StopGrace).ConfigureAwait(false);
            process.Dispose();
        }

        await EnsureAsync(plan, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> FenceNodeAsync(ResourcePlan plan, string nodeName, int? pid, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        if (Running(plan.Key, Folder(plan), plan.RedisNodes.First(n => n.Name == nodeName)) is not { } process || (pid is not null && pid != process.Pid))
        {
            return Task.FromResult(false);
        }

        // SIGKILL works on a stopped process too: it dies without running another command.
        _fenced[(plan.Key, nodeName)] = process.Pid;
        Signals.Send(process.Pid, Signals.SigKill);
        LogFenced(_logger, plan.Key, nodeName, process.Pid);
        return Task.FromResult(true);
    }

    private NodeState EnsureNode(ResourcePlan plan, ResourceFolder folder, PlannedNode node, ResourceSecrets secrets, string uid)
    {
        var zoneHost = ZoneAddress(plan, node.Zone);
        var basePort = node.Kind == NodeKind.Redis ? _options.PortBase : _options.SentinelPortBase;
        var netns = ZoneNamespace(plan, node.Zone);
        string address;
        if (node.Kind == NodeKind.Redis && netns is null)
        {
            var own = RedisHost(plan, node);
            address = _ports.SharedPortAddressOf(folder, node.Name, own, [own, zoneHost], [.. plan.RedisNodes.Select(n => RedisHost(plan, n))], EndpointHost(plan), basePort);
        }
        else
        {
            // In a namespace of its own the address is not on this side: there is nothing to check from here.
            address = _ports.AddressOf(folder, node.Name, zoneHost, basePort, checkBind: netns is null);
        }

        var (host, port) = Endpoints.Parse(address);
        folder.EnsureNodeDirectories(node.Name);
        TlsFiles? tls = null;
        if (plan.Spec.TlsEnabled)
        {
            var endpoint = node.Kind == NodeKind.Redis && MasterEndpoint(plan) is { } e ? [Endpoints.Parse(e).Host] : Array.Empty<string>();
            tls = LocalCertificates.EnsureNode(plan, folder, node.Name, [host, .. endpoint], _time.GetUtcNow(), out var issued);
            if (issued is not null)
            {
                LogCertificateIssued(_logger, plan.Key, node.Name, issued);
            }
        }

        var config = Configure(plan, folder, node, host, port, secrets, uid, tls);
        var revision = RevisionOf(plan, node, config);
        if (Running(plan.Key, folder, node) is { } running)
        {
            KeepPrivate(folder.ConfigFile(node.Name));
            revision.Upgraded(NodeRevision.Read(folder.RevisionFile(node.Name)))?.Write(folder.RevisionFile(node.Name));
            return new NodeState(node.Kind, node.Name, node.Zone, NodeLifecycle.Running, host, port, running.Pid, running.Since, Outdated(folder, node, revision), tls?.Issued);
        }

        if (_backoff.TryGetValue((plan.Key, node.Name), out var backoff) && backoff.NotBefore > _time.GetUtcNow())
        {
            return new NodeState(node.Kind, node.Name, node.Zone, NodeLifecycle.Exited, host, port, Certificate: tls?.Issued);
        }

        if (netns is null && !PortAllocator.CanBind(host, port))
        {
            throw new RedoubtException($"{address}, the address of {plan.Key} {node.Name}, is in use by another program; stop it, or delete the resource to move it to free ports");
        }

        var configFile = folder.ConfigFile(node.Name);
        AtomicFile.Write(configFile, config.Redis is { } redisConfig ? RedisConfigRenderer.RenderRedis(redisConfig) : RedisConfigRenderer.RenderSentinel(config.Sentinel!));
        revision.Write(folder.RevisionFile(node.Name));
        var started = NodeProcess.Start(BinaryOf(node), configFile, folder.OutputFile(node.Name), folder.PidFile(node.Name), netns, node.Name, node.Kind, (p, detail) => OnExit(plan.Key, p, detail));
        _processes[(plan.Key, node.Name)] = started;
        LogStarted(_logger, plan.Key, node.Name, address, started.Pid);
        _events.Writer.TryWrite(new NodeEvent(plan.Key, node.Kind, node.Name, NodeEventKind.Started, _time.GetUtcNow()));
        return new NodeState(node.Kind, node.Name, node.Zone, NodeLifecycle.Starting, host, port, started.Pid, started.Since, Certificate: tls?.Issued);
    }

    /// <summary>
    /// A node started before Redoubt set its umask rewrites its config file (passwords in it) with mode 0644: back to
    /// 0600 on every pass, until its next restart makes it write 0600 itself.
    /// </summary>
    private static void KeepPrivate(string file)
    {
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            if (File.Exists(file) && File.GetUnixFileMode(file) != ownerOnly)
            {
                File.SetUnixFileMode(file, ownerOnly);
            }
        }
        catch (IOException)
        {
            // Replaced by the node this instant (a rewrite): the next pass looks again.
        }
    }

    private string BinaryOf(PlannedNode node) => node.Kind == NodeKind.Redis ? _options.RedisServer : _options.RedisSentinel;

    /// <summary>Why the node's running process, started from the revision in its folder, is not what <paramref name="wanted"/> would start.</summary>
    private string? Outdated(ResourceFolder folder, PlannedNode node, NodeRevision wanted) =>
        wanted.WhyOutdated(NodeRevision.Read(folder.RevisionFile(node.Name)), BinaryOf(node));

    private NodeRevision RevisionOf(ResourcePlan plan, PlannedNode node, (RedisNodeConfig? Redis, SentinelNodeConfig? Sentinel) config) => new(
        config.Redis is { } redis ? Revisions.OfRedis(redis) : Revisions.OfSentinel(config.Sentinel!),
        plan.RestartedAt ?? "",
        NodeRevision.BinaryIdentity(BinaryOf(node)))
    {
        EarlierConfigs = config.Redis is { } earlier ? Revisions.EarlierOfRedis(earlier) : Revisions.EarlierOfSentinel(config.Sentinel!),
    };

    /// <summary>A node's configuration: exactly one of the two is set, by the node's kind.</summary>
    private static (RedisNodeConfig? Redis, SentinelNodeConfig? Sentinel) Configure(ResourcePlan plan, ResourceFolder folder, PlannedNode node, string host, int port, ResourceSecrets secrets, string uid, TlsFiles? tls)
    {
        // External or not, nodes and Sentinels listen on loopback only: an external resource's master serves its endpoint
        // on the machine's address too (see MasterEndpoint), and nothing else is reachable from the network.
        IReadOnlyList<string> bind = [host];
        return node.Kind == NodeKind.Redis
            ? (new RedisNodeConfig
            {
                Plan = plan,
                Node = node,
                Bind = bind,
                Port = port,
                AnnounceHost = host,
                DataDirectory = folder.DataDirectory(node.Name),
                LogFile = folder.LogFile(node.Name),
                Secrets = secrets,
                ParkHost = host,
                ParkPort = port,
                Tls = tls,
            }, null)
            : (null, new SentinelNodeConfig
            {
                Plan = plan,
                Node = node,
                Bind = bind,
                Port = port,
                AnnounceHost = host,
                Directory = folder.DataDirectory(node.Name),
                LogFile = folder.LogFile(node.Name),
                Secrets = secrets,
                MyId = RedisConfigRenderer.SentinelId(plan.Key, uid, node.Name),
                Tls = tls,
            });
    }

    private NodeProcess? Running(string resource, ResourceFolder folder, PlannedNode node)
    {
        if (_processes.TryGetValue((resource, node.Name), out var process))
        {
            if (!process.HasExited)
            {
                return process;
            }

            _processes.TryRemove((resource, node.Name), out _);
            process.Dispose();
        }

        if (NodeProcess.Adopt(folder.PidFile(node.Name), node.Name, node.Kind, (p, detail) => OnExit(resource, p, detail)) is { } adopted)
        {
            _processes[(resource, node.Name)] = adopted;
            LogAdopted(_logger, resource, node.Name, adopted.Pid);
            return adopted;
        }

        return null;
    }

    private void OnExit(string resource, NodeProcess process, string detail)
    {
        var now = _time.GetUtcNow();
        var fenced = _fenced.TryGetValue((resource, process.Node), out var pid) && pid == process.Pid && _fenced.TryRemove((resource, process.Node), out _);
        _backoff.GetOrAdd((resource, process.Node), _ => new RestartBackoff()).Exited(process.Since, now, fenced);
        LogExited(_logger, resource, process.Node, process.Pid, detail);
        _events.Writer.TryWrite(new NodeEvent(resource, process.Kind, process.Node, NodeEventKind.Exited, now, detail));
    }

    private async Task RemoveSurplusAsync(ResourcePlan plan, ResourceFolder folder)
    {
        var wanted = plan.RedisNodes.Concat(plan.Sentinels).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in folder.ExistingNodes().Where(n => !wanted.Contains(n)).ToList())
        {
            await StopNodeAsync(plan.Key, folder, node).ConfigureAwait(false);
            Directory.Delete(folder.NodeDirectory(node), recursive: true);
            PortAllocator.Release(folder, node);
            LogRemoved(_logger, plan.Key, node);
        }
    }

    private async Task StopNodeAsync(string resource, ResourceFolder folder, string node)
    {
        var kind = node.StartsWith("sentinel", StringComparison.Ordinal) ? NodeKind.Sentinel : NodeKind.Redis;
        var process = _processes.TryRemove((resource, node), out var known) ? known : NodeProcess.Adopt(folder.PidFile(node), node, kind, (_, _) => { });
        if (process is not null)
        {
            await process.StopAsync(StopGrace).ConfigureAwait(false);
            process.Dispose();
        }
    }

    /// <summary>Stops every node of a resource (Sentinels first, so none fails over a master that is only being stopped).</summary>
    public async Task StopResourceAsync(string @namespace, string name)
    {
        var folder = Folder(@namespace, name);
        var key = $"{@namespace}/{name}";
        var nodes = folder.ExistingNodes().ToList();
        await Task.WhenAll(nodes.Where(n => n.StartsWith("sentinel", StringComparison.Ordinal)).Select(n => StopNodeAsync(key, folder, n))).ConfigureAwait(false);
        await Task.WhenAll(nodes.Where(n => n.StartsWith("redis", StringComparison.Ordinal)).Select(n => StopNodeAsync(key, folder, n))).ConfigureAwait(false);
    }

    /// <summary>Leaves the processes running and stops watching them (a later control plane adopts them).</summary>
    public void DetachAll()
    {
        foreach (var process in _processes.Values)
        {
            process.Detach();
        }

        _processes.Clear();
    }

    private static string Uid(ResourceFolder folder)
    {
        if (AtomicFile.ReadOrNull(folder.UidFile)?.Trim() is { Length: > 0 } uid)
        {
            return uid;
        }

        var created = Guid.NewGuid().ToString();
        AtomicFile.Write(folder.UidFile, created + "\n");
        return created;
    }

    public ValueTask DisposeAsync()
    {
        DetachAll();
        _events.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
