using Microsoft.Extensions.Logging;
using Redoubt.Core.Access;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;
using Redoubt.Core.Telemetry;
using Redoubt.Model;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// Reconciles one resource; both platforms drive it. It only wires its parts together and routes to them:
/// <list type="bullet">
/// <item><see cref="ReconcilePass"/>: plan → ensure → observe → heal (one disruptive step) → status;</item>
/// <item><see cref="FastFailover"/>: the master's process exited, ask Sentinel to fail over now;</item>
/// <item><see cref="MasterWatch"/> and <see cref="HangWatch"/>: the master stopped answering, fence it, hand over;</item>
/// <item><see cref="Switchover"/>: a planned change of master that loses no acknowledged write;</item>
/// <item><see cref="SentinelHandOver"/>: every Sentinel names the promoted replica at once, and never the old one again;</item>
/// <item><see cref="MasterHistory"/> in <see cref="ResourceKnowledge"/>: what they share between passes;</item>
/// <item><see cref="LoopSupervisor"/>: owns the background loops and awaits them on dispose.</item>
/// </list>
/// </summary>
public sealed class ResourceReconciler : IAsyncDisposable
{
    private const string MasterWatchLoop = "master watch";
    private const string ConnectionKeeperLoop = "connection keeper";
    private const string HangWatchLoop = "hang watch";
    private const string AccessWatchLoop = "access watch";

    private readonly IRedisPlatform _platform;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ResourceKnowledge _knowledge = new();
    private readonly RedisAdmin _admin = new();
    // Connections of the time-critical paths (master watch, hang watch, fast failover): a pass that spends a timeout
    // on a silent node, on its own connections, never delays them.
    private readonly RedisAdmin _fastAdmin = new();
    private readonly Journal _journal;
    private readonly ReconcilePass _pass;
    private readonly FastFailover _fastFailover;
    private readonly HangWatch _hangWatch;
    private readonly MasterWatch _masterWatch;
    private readonly ConnectionKeeper _keeper;
    private readonly AccessWatch _accessWatch;
    private readonly LoopSupervisor _loops;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ResourceSecrets _secrets = ResourceSecrets.None;
    private Action _requestPass = () => { };
    // The rotation request last refused, said once.
    private string? _rotationRefusal;

    /// <param name="telemetry">Where the resource's metrics go (each pass's sample, failovers, heal actions); null: nowhere.</param>
    public ResourceReconciler(IRedisPlatform platform, ILogger logger, TimeProvider time, IResourceTelemetry? telemetry = null)
    {
        telemetry ??= NoTelemetry.Instance;
        _platform = platform;
        _logger = logger;
        _time = time;
        Events = new EventLog(time);
        _journal = new Journal(Events, _knowledge, platform, _fastAdmin, logger, telemetry);
        var probes = new FastProbes(_fastAdmin);
        var executor = new HealExecutor(_admin, platform);
        var fencing = new Fencing(new HealExecutor(_fastAdmin, platform), _knowledge, _journal);
        var handOver = new SentinelHandOver(probes, new HealExecutor(_fastAdmin, platform), _journal, logger, time);
        _fastFailover = new FastFailover(_knowledge, probes, handOver, _journal, logger, time);
        var switchover = new Switchover(_knowledge, _admin, executor, _fastFailover, handOver, _journal, time);
        _pass = new ReconcilePass(platform, _knowledge, new Observer(_admin, time), executor, fencing, probes, _fastFailover, switchover, _journal, new CertificateReload(_admin, _journal), telemetry, logger, time);
        _hangWatch = new HangWatch(_knowledge, probes, fencing, _fastFailover, handOver, _journal, logger, time);
        _masterWatch = new MasterWatch(_knowledge, _fastAdmin, time);
        _keeper = new ConnectionKeeper(_knowledge, _fastAdmin, time);
        _accessWatch = new AccessWatch(_knowledge, _fastAdmin, time);
        _loops = new LoopSupervisor(logger, time);
    }

    public EventLog Events { get; }

    public RedisStatus? LastStatus => _pass.LastStatus;

    /// <summary>How the reconciler asks its control loop for a pass now (the access watch found drift).</summary>
    public void RequestPassesWith(Action requestPass)
    {
        _requestPass = requestPass;
        _journal.PassWanted = requestPass;
    }

    /// <summary>Carries over what an earlier control plane reported (after a restart), so history is not lost.</summary>
    public void Restore(RedisStatus? status)
    {
        if (status is null)
        {
            return;
        }

        _knowledge.Update(_ => MasterHistory.Restore(status));
        _pass.Restore(status);
        Events.Restore(status.Events);
    }

    /// <summary>The plan, its Redis nodes named as the platform names them.</summary>
    private ResourcePlan PlanOf(RedisResource resource) => Planner.Plan(resource, ordinal => _platform.RedisNodeName(resource.Metadata.Name, ordinal), _platform.Defaults);

    public async Task<ReconcileOutcome> ReconcileAsync(RedisResource resource, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var scope = _logger.BeginScope(new Dictionary<string, object> { ["resource"] = resource.Key });
            var plan = PlanOf(resource);
            try
            {
                await UsePasswordAsync(plan, cancellationToken).ConfigureAwait(false);
            }
            catch (RedoubtException e)
            {
                return _pass.Failed(resource, plan, e);
            }

            _knowledge.Plan = plan;
            _loops.StartForever(MasterWatchLoop, token => _masterWatch.RunAsync(() => _loops.IsRunning(HangWatchLoop), StartHangWatch, token));
            _loops.StartForever(ConnectionKeeperLoop, _keeper.RunAsync);
            _loops.StartForever(AccessWatchLoop, token => _accessWatch.RunAsync(() => Volatile.Read(ref _secrets), () => _requestPass(), token));
            return await _pass.RunAsync(resource, plan, _secrets, hung => StartHangWatch(hung, "a pass found it silent"), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The fast path: the platform saw the master's process exit, so there is nothing to wait for. Sentinel is
    /// asked to fail over at once (it keeps the epochs and configs consistent) instead of after down-after.
    /// </summary>
    public async Task OnNodeEventAsync(RedisResource resource, NodeEvent nodeEvent, CancellationToken cancellationToken)
    {
        if (nodeEvent.Kind != NodeKind.Redis || nodeEvent.Event == NodeEventKind.Started)
        {
            return;
        }

        // An exit Redoubt caused itself (a fence, the restart of the only node) is consumed whoever is master by now.
        if (_knowledge.TakeExpectedExit(nodeEvent.NodeName))
        {
            return;
        }

        var master = _knowledge.History.Master;
        if (master?.Address is not { } address || master.Name != nodeEvent.NodeName)
        {
            return;
        }

        var plan = PlanOf(resource);
        var why = $"master {master.Name} {(nodeEvent.Event is NodeEventKind.Deleted or NodeEventKind.Stopping ? "was deleted" : "exited")}{(nodeEvent.Detail.Length > 0 ? $" ({nodeEvent.Detail})" : "")}";
        await _fastFailover.RunAsync(plan, master.Name, address, nodeEvent.Time, why, _secrets, cancellationToken, stillRunning: nodeEvent.Event == NodeEventKind.Stopping).ConfigureAwait(false);
    }

    /// <summary>
    /// Planned switchover without losing an acknowledged write: pause writes on the master, wait until the chosen
    /// replica has applied everything, let Sentinel fail over to it, demote the old master, then resume.
    /// </summary>
    public async Task<SwitchoverResult> SwitchoverAsync(RedisResource resource, string? target, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var plan = PlanOf(resource);
            await UsePasswordAsync(plan, cancellationToken).ConfigureAwait(false);
            return await _pass.SwitchoverAsync(plan, target, _secrets, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The resource's passwords, and its CA when it speaks TLS, for both sets of connections; a rotation the platform carried out is an event.</summary>
    private async Task UsePasswordAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        var secrets = await _platform.EnsureSecretsAsync(plan, cancellationToken).ConfigureAwait(false);
        var previous = Volatile.Read(ref _secrets);
        if (previous != ResourceSecrets.None)
        {
            foreach (var (reason, message) in RotationEvents.Between(previous, secrets))
            {
                _journal.Normal(reason, message);
            }
        }

        if (RotationEvents.Refusal(plan, secrets) is { } refusal && refusal != _rotationRefusal)
        {
            _journal.Warning("PasswordNotRotated", refusal);
        }

        _rotationRefusal = RotationEvents.Refusal(plan, secrets);
        Volatile.Write(ref _secrets, secrets);
        _admin.UseSecrets(secrets);
        _fastAdmin.UseSecrets(secrets);
        var tls = await _platform.EnsureTlsAsync(plan, cancellationToken).ConfigureAwait(false);
        _admin.UseTls(tls);
        _fastAdmin.UseTls(tls);
    }

    private void StartHangWatch(string why)
    {
        if (_knowledge.History.Master is { } master)
        {
            StartHangWatch(master, why);
        }
    }

    private void StartHangWatch(RedisNodeObservation hung, string why)
    {
        if (_knowledge.Plan is { } plan && hung.Address is not null)
        {
            _loops.StartOnce(HangWatchLoop, token => _hangWatch.RunAsync(plan, hung, why, _secrets, token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _loops.DisposeAsync().ConfigureAwait(false);
        await _admin.DisposeAsync().ConfigureAwait(false);
        await _fastAdmin.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
