using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Redoubt.Core.Access;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Tls;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Platform;

/// <summary>
/// <see cref="IRedisPlatform"/> on Kubernetes: ensure is a server-side apply of the generated objects, check reads
/// the resource's pods (addressed by pod IP), a restart deletes one pod and lets its controller recreate it with
/// the current template (the StatefulSet updates on delete only, so this is the one way a Redis pod restarts).
/// Objects are applied when what is desired changed, when an owned object changed (<see cref="Invalidate"/>), and
/// otherwise every <c>reapplyPeriod</c>: passes run every few seconds, and ten no-op applies each time would only
/// load the API server.
/// </summary>
public sealed partial class KubernetesPlatform : IRedisPlatform
{
    /// <summary>Nodes are known by pod name: the plan's Redis node of an ordinal is the StatefulSet's pod of that ordinal.</summary>
    public string RedisNodeName(string resourceName, int ordinal) => new ObjectNames(resourceName).RedisPod(ordinal);

    /// <summary>The master Service (<c>rfrm-</c>), whose endpoints the operator moves to the master at each promotion.</summary>
    public string? ClientEndpoint(ResourcePlan plan) =>
        $"{new ObjectNames(plan.Name).MasterService}.{plan.Namespace}.svc:{Ports.Redis.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    private readonly IKubernetes _client;
    private readonly ManifestOptions _options;
    private readonly ObjectApplier _applier;
    private readonly Operator.RoleLabels _roles;
    private readonly PasswordStore _passwords;
    private readonly CertificateStore _certificates;
    private readonly ZoneLookup _zones;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _reapplyPeriod;
    private readonly ConcurrentDictionary<string, (string Hash, DateTimeOffset At, long Epoch)> _applied = new();

    // Bumped by Invalidate; an apply that started before an invalidation does not count as current.
    private readonly ConcurrentDictionary<string, long> _epochs = new();
    private readonly Channel<NodeEvent> _nodeEvents = Channel.CreateUnbounded<NodeEvent>();

    public KubernetesPlatform(IKubernetes client, ManifestOptions options, ServerCapabilities server, TimeSpan reapplyPeriod, TimeProvider time,
        ILogger<KubernetesPlatform> logger)
    {
        _time = time;
        _reapplyPeriod = reapplyPeriod;
        _client = client;
        _options = server.Apply(options);
        _applier = new ObjectApplier(client, server);
        _roles = new Operator.RoleLabels(client);
        _passwords = new PasswordStore(client, time);
        _certificates = new CertificateStore(client, time);
        _zones = new ZoneLookup(client);
        _logger = logger;
    }

    public async Task<IReadOnlyList<NodeState>> EnsureAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        // Rendered once per pass: what is applied and the template the pods are checked against are the same objects.
        var desired = ManifestGenerator.Generate(plan, _options);
        // The pods mount the Secret (Redoubt's own users have passwords even with auth off): it must exist first.
        await _passwords.EnsureAsync(plan, desired.Names, cancellationToken);
        // And the certificates, before any pod that mounts them: issued for every pod's names, and its IP once it has one.
        var certificates = plan.Spec.TlsEnabled
            ? await _certificates.EnsureNodesAsync(plan, desired.Names, PodIps(await ListPodsAsync(plan.Namespace, plan.Name, cancellationToken)), cancellationToken)
            : null;

        var hash = ContentHash.Of([.. desired.Applied.Select(item => KubernetesJson.Serialize(item))]);
        var now = _time.GetUtcNow();
        var epoch = _epochs.GetValueOrDefault(plan.Key);
        if (!_applied.TryGetValue(plan.Key, out var last) || last.Hash != hash || last.Epoch != epoch || now - last.At >= _reapplyPeriod)
        {
            await RefuseStorageClassChangeAsync(plan, desired.Applied.OfType<V1StatefulSet>().Single(), cancellationToken);
            foreach (var item in desired.Applied)
            {
                await _applier.ApplyAsync(item, cancellationToken);
            }

            foreach (var (kind, name) in desired.Obsolete)
            {
                await _applier.DeleteAsync(kind, plan.Namespace, name, cancellationToken);
            }

            _applied[plan.Key] = (hash, now, epoch);
            LogEnsured(plan.Key, desired.Applied.Count);
        }

        var nodes = await NodesAsync(plan, desired, cancellationToken);
        return certificates is null ? nodes : [.. nodes.Select(n => n with { Certificate = certificates.GetValueOrDefault(n.Kind == NodeKind.Redis ? n.Name : TlsSecrets.SentinelCertificateKey) })];
    }

    private static Dictionary<string, string> PodIps(IEnumerable<V1Pod> pods) =>
        pods.Where(p => !string.IsNullOrEmpty(p.Status?.PodIP)).ToDictionary(p => p.Metadata.Name, p => p.Status.PodIP, StringComparer.Ordinal);

    /// <summary>The CA of a TLS resource, from its Secret (created on first use).</summary>
    public async Task<ServerTrust?> EnsureTlsAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        if (!plan.Spec.TlsEnabled)
        {
            return null;
        }

        using var authority = await _certificates.AuthorityAsync(plan, new ObjectNames(plan.Name), cancellationToken);
        // A pod runs before its certificate names its IP, and Sentinel pods never have theirs in it: see ServerTrust.
        return new ServerTrust(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(authority.RawData), checkAddress: false);
    }

    /// <summary>
    /// spec.storageClass is immutable once created (the claims cannot change class), and the CRD carries no CEL rule
    /// that older API servers could enforce: the existing StatefulSet's claim template says what was created.
    /// </summary>
    private async Task RefuseStorageClassChangeAsync(ResourcePlan plan, V1StatefulSet desired, CancellationToken cancellationToken)
    {
        if (desired.Spec.VolumeClaimTemplates is not { Count: > 0 } wanted)
        {
            return;
        }

        V1StatefulSet existing;
        try
        {
            existing = await _client.AppsV1.ReadNamespacedStatefulSetAsync(desired.Metadata.Name, plan.Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        if (existing.Spec.VolumeClaimTemplates is not { Count: > 0 } created)
        {
            return;
        }

        var was = created[0].Spec?.StorageClassName ?? "";
        var now = wanted[0].Spec?.StorageClassName ?? "";
        if (was != now)
        {
            throw new ImmutableFieldException(
                $"spec.storageClass: is immutable once created: the data claims of {desired.Metadata.Name} use \"{was}\" (\"\" is the cluster default), "
                + $"the spec asks for \"{now}\"; set it back to \"{was}\", or create a new resource for the other class");
        }
    }

    public ChannelReader<NodeEvent> NodeEvents => _nodeEvents.Reader;

    /// <summary>A node event the pod watch saw (a container terminated, a pod going away).</summary>
    public void Report(NodeEvent nodeEvent) => _nodeEvents.Writer.TryWrite(nodeEvent);

    /// <summary>No more node events: the term that watched the pods has ended.</summary>
    public void Complete() => _nodeEvents.Writer.TryComplete();

    /// <summary>Makes the next ensure of the resource apply everything, whatever it applied last.</summary>
    public void Invalidate(string resourceKey) => _epochs.AddOrUpdate(resourceKey, 1, (_, epoch) => epoch + 1);

    /// <summary>
    /// Removes every object of a resource: the Sentinels first, so that they do not fail over between Redis
    /// pods that are all going away, then the Redis nodes (their claims follow, by the StatefulSet's retention
    /// policy), then the rest. Owner references would remove them too, but in no particular order.
    /// </summary>
    public async Task DeleteAllAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var names = new ObjectNames(name);
        (string Kind, string Name)[] order =
        [
            ("Deployment", names.SentinelDeployment),
            ("StatefulSet", names.RedisStatefulSet),
            ("Service", names.ExternalService),
            ("Service", names.MasterService),
            ("Service", names.ReplicaService),
            ("Service", names.SentinelService),
            ("Service", names.RedisHeadlessService),
            ("PodDisruptionBudget", names.RedisDisruptionBudget),
            ("PodDisruptionBudget", names.SentinelDisruptionBudget),
            ("ConfigMap", names.RedisConfigMap),
            ("ConfigMap", names.SentinelConfigMap),
            ("Secret", names.AuthSecret),
            ("Secret", names.TlsSecret),
            ("Secret", names.TlsAuthoritySecret),
        ];
        foreach (var (kind, objectName) in order)
        {
            await _applier.DeleteAsync(kind, @namespace, objectName, cancellationToken);
        }

        Invalidate(ResourceKeyOf(@namespace, name));
    }

    private static string ResourceKeyOf(string @namespace, string name) => $"{@namespace}/{name}";

    public Task<IReadOnlyList<NodeState>> CheckAsync(ResourcePlan plan, CancellationToken cancellationToken) =>
        NodesAsync(plan, ManifestGenerator.Generate(plan, _options), cancellationToken);

    /// <summary>The resource's pods as nodes, each compared with the Redis template of <paramref name="desired"/>.</summary>
    private async Task<IReadOnlyList<NodeState>> NodesAsync(ResourcePlan plan, DesiredObjects desired, CancellationToken cancellationToken)
    {
        var names = desired.Names;
        var pods = await ListPodsAsync(plan.Namespace, plan.Name, cancellationToken);
        var zones = new Dictionary<string, string>();
        foreach (var pod in pods)
        {
            zones[pod.Metadata.Name] = await _zones.ZoneOfAsync(pod.Spec?.NodeName, cancellationToken);
        }

        var templateHash = RedisStatefulSet.TemplateHashOf(desired.Applied.OfType<V1StatefulSet>().Single());
        return PodStates.From(plan, names, pods, pod => zones.GetValueOrDefault(pod.Metadata.Name, ""), templateHash);
    }

    /// <summary>The passwords of the auth Secret, the application's (when auth is on) and those of Redoubt's own users.</summary>
    public Task<ResourceSecrets> EnsureSecretsAsync(ResourcePlan plan, CancellationToken cancellationToken) =>
        _passwords.EnsureAsync(plan, new ObjectNames(plan.Name), cancellationToken);

    public async Task RestartNodeAsync(ResourcePlan plan, string nodeName, CancellationToken cancellationToken)
    {
        LogRestarting(plan.Key, nodeName);
        await _applier.DeleteAsync("Pod", plan.Namespace, nodeName, cancellationToken);
    }

    /// <summary>
    /// Deletes the pod at once (no grace: a frozen process cannot act on SIGTERM, and a grace period would leave it
    /// able to wake up and acknowledge writes), but only the incarnation that was judged: a pod whose Redis container
    /// is not running (the kubelet restarts it parked), was restarted since <paramref name="since"/>, or was replaced
    /// by a new pod of the same name is left alone.
    /// </summary>
    public async Task<bool> FenceNodeAsync(ResourcePlan plan, string nodeName, int? pid, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        V1Pod pod;
        try
        {
            pod = await _client.CoreV1.ReadNamespacedPodAsync(nodeName, plan.Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        var started = PodStates.From(pod, NodeKind.Redis, "").Since;
        if (started is null || (since is not null && started != since))
        {
            return false;
        }

        LogFencing(plan.Key, nodeName);
        return await _applier.DeleteNowAsync("Pod", plan.Namespace, nodeName, pod.Metadata.Uid, cancellationToken);
    }

    /// <summary>The master Service follows a promotion at once: the old master's label goes, the new one's comes.</summary>
    public async Task MasterMovedAsync(ResourcePlan plan, string masterNode, CancellationToken cancellationToken)
    {
        foreach (var (pod, role) in Operator.RoleLabels.AfterPromotion(await ListPodsAsync(plan.Namespace, plan.Name, cancellationToken), masterNode))
        {
            await _roles.SetAsync(pod, role, cancellationToken);
        }
    }

    internal async Task<IList<V1Pod>> ListPodsAsync(string @namespace, string name, CancellationToken ct)
    {
        var selector = $"{Labels.ManagedBy}={Labels.ManagedByValue},{Labels.Resource}={name}";
        var list = await _client.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: selector, cancellationToken: ct);
        return list.Items;
    }
}
