using Microsoft.Extensions.Logging;
using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;
using Redoubt.Model;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// Reconciles one resource: plan → ensure → observe → heal (one disruptive step) → status. Level-based: every
/// pass reads the world fresh; the little it remembers (last master, since when there is none, events) only
/// serves decisions that need history. One instance per resource; both platforms drive it.
/// </summary>
public sealed partial class ResourceReconciler : IAsyncDisposable
{
    private static readonly TimeSpan FastRequeue = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MasterPingPeriod = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MasterPingTimeout = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan SteadyRequeue = TimeSpan.FromSeconds(2);

    private readonly IRedisPlatform _platform;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RedisAdmin _admin;
    // Connections of the time-critical paths (master watch, hang watch, fast failover): a pass that spends a timeout
    // on a silent node, on its own connections, never delays them.
    private readonly RedisAdmin _fastAdmin = new();
    private readonly Observer _observer;
    private readonly HealExecutor _executor;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _state = new();

    private RedisNodeObservation? _master;
    private string? _deposed;
    private int? _deposedPid;
    private ClusterObservation? _lastObservation;
    private DateTimeOffset? _noMasterSince;
    // When the master watch sent the first PING the master left unanswered: where a hang's failover record starts.
    private DateTimeOffset? _masterSilentSince;
    private bool _everReady;
    private int _failoversInFlight;
    private FailoverRecord? _lastFailover;
    private List<StatusCondition> _conditions = [];
    private string? _password;
    private int _watchingHang;
    private string? _expectedExit;
    private ResourcePlan? _plan;
    // The hung master a hang watch saw replaced: until a pass learns the new master, nothing watches it again.
    private (string? Address, int? Pid) _hangOver;
    private int _watchingMaster;
    private readonly CancellationTokenSource _lifetime = new();

    public ResourceReconciler(IRedisPlatform platform, ILogger logger, TimeProvider time)
    {
        _platform = platform;
        _logger = logger;
        _time = time;
        _admin = new RedisAdmin();
        _observer = new Observer(_admin, time);
        _executor = new HealExecutor(_admin);
        Events = new EventLog(time);
    }

    public EventLog Events { get; }

    public RedisStatus? LastStatus { get; private set; }

    /// <summary>Carries over what an earlier control plane reported (after a restart), so history is not lost.</summary>
    public void Restore(RedisStatus? status)
    {
        if (status is null)
        {
            return;
        }

        _lastFailover = status.LastFailover;
        _everReady = status.Phase is Phases.Ready or Phases.Degraded or Phases.FailingOver;
        _conditions = status.Conditions;
        Events.Restore(status.Events);
        // The saved phase and nodes describe the past; until the first pass they are unknown, not Ready.
    }

    public async Task<ReconcileOutcome> ReconcileAsync(RedisResource resource, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var scope = _logger.BeginScope(new Dictionary<string, object> { ["resource"] = resource.Key });
            var plan = Planner.Plan(resource);
            try
            {
                return await PassAsync(resource, plan, cancellationToken).ConfigureAwait(false);
            }
            catch (RedoubtException e)
            {
                Record("Warning", "PlatformError", e.Message);
                var status = BuildStatus(resource, plan, null, null, ready: false);
                status.Phase = Phases.Failed;
                return Publish(status, TimeSpan.FromSeconds(5));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ReconcileOutcome> PassAsync(RedisResource resource, ResourcePlan plan, CancellationToken cancellationToken)
    {
        await UsePasswordAsync(plan, cancellationToken).ConfigureAwait(false);
        lock (_state)
        {
            _plan = plan;
        }

        if (Interlocked.Exchange(ref _watchingMaster, 1) == 0)
        {
            _ = WatchMasterAsync();
            _ = KeepFastConnectionsAsync();
        }

        var nodes = await _platform.EnsureAsync(KeepingCurrentMaster(plan), cancellationToken).ConfigureAwait(false);
        var observation = await _observer.ObserveAsync(plan, nodes, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        HealDecision decision;
        lock (_state)
        {
            decision = Healer.Decide(plan, observation, new HealContext
            {
                Now = now,
                NoMasterSince = _noMasterSince,
                LastKnownMaster = _master?.Address,
                DeposedMaster = _deposed,
                DeposedPid = _deposedPid,
                FailoverInFlight = _failoversInFlight > 0,
            });
            NoteMaster(decision.Master, observation, now);
        }

        // Only the process that was master is hung: a restarted one on the same address (parked, or still starting) is not.
        if (decision.Master is null && Healer.SentinelMajority(plan, observation) is { } named
            && observation.Nodes.FirstOrDefault(n => n.Address == named) is { Reachable: false, Lifecycle: NodeLifecycle.Running } silent
            && LastMaster() is { } last && last.Address == named && (last.Pid is null || last.Pid == silent.Pid) && !HangOver(last))
        {
            _ = WatchHungMasterAsync(plan, last, "a pass found it silent");
        }

        var actions = decision.ActionsForThisPass();
        foreach (var action in actions)
        {
            await ActAsync(resource, plan, action, cancellationToken).ConfigureAwait(false);
        }

        var ready = actions.Count == 0 && StatusBuilder.IsReady(plan, observation, decision.Master);
        _everReady |= ready;
        var status = BuildStatus(resource, plan, observation, decision, ready);
        return Publish(status, actions.Count > 0 || !ready ? FastRequeue : SteadyRequeue);
    }

    /// <summary>The resource's password, for both sets of connections.</summary>
    private async Task UsePasswordAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        _password = await _platform.EnsurePasswordAsync(plan, cancellationToken).ConfigureAwait(false);
        _admin.UsePassword(_password);
        _fastAdmin.UsePassword(_password);
    }

    private async Task ActAsync(RedisResource resource, ResourcePlan plan, HealAction action, CancellationToken cancellationToken)
    {
        LogAction(_logger, action.Describe(), action.Reason);
        try
        {
            switch (action)
            {
                case RequestFailover failover:
                    await FailOverAsync(plan, failover.FromNode, failover.FromAddress, _time.GetUtcNow(), failover.Reason, cancellationToken).ConfigureAwait(false);
                    break;
                case FenceNode fence:
                    if (await _platform.FenceNodeAsync(plan, fence.Node, fence.Pid, cancellationToken).ConfigureAwait(false))
                    {
                        Record("Warning", "Fenced", $"{action.Describe()}: {action.Reason}");
                    }

                    lock (_state)
                    {
                        _deposed = null;
                    }

                    break;
                case RestartNode restart:
                    if (restart.Node == CurrentMasterName())
                    {
                        // Restarting the only node: there is no replica to fail over to, so its exit is not a failover.
                        Volatile.Write(ref _expectedExit, restart.Node);
                    }

                    await _platform.RestartNodeAsync(plan, restart.Node, cancellationToken).ConfigureAwait(false);
                    Record("Normal", "Restarted", $"{action.Describe()}: {action.Reason}");
                    break;
                case SwitchMaster:
                    Record("Normal", "Switchover", $"{action.Describe()}: {action.Reason}");
                    var result = await SwitchoverCoreAsync(resource, plan, null, cancellationToken).ConfigureAwait(false);
                    if (!result.Succeeded)
                    {
                        Record("Warning", "SwitchoverFailed", result.Message);
                    }

                    break;
                default:
                    await _executor.ExecuteAsync(plan, action, _password).ConfigureAwait(false);
                    Record("Normal", action.GetType().Name, $"{action.Describe()}: {action.Reason}");
                    break;
            }
        }
        catch (RedisAdminException e)
        {
            // One failed action must not stop the others; the next pass sees the world again and retries.
            Record("Warning", "ActionFailed", $"could not {action.Describe()}: {e.Message}");
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

        RedisNodeObservation? master;
        lock (_state)
        {
            master = _master;
        }

        if (master?.Address is not { } address || master.Name != nodeEvent.NodeName)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _expectedExit, null, nodeEvent.NodeName) == nodeEvent.NodeName)
        {
            return;
        }

        var plan = Planner.Plan(resource);
        var why = $"master {master.Name} {(nodeEvent.Event == NodeEventKind.Deleted ? "was deleted" : "exited")}{(nodeEvent.Detail.Length > 0 ? $" ({nodeEvent.Detail})" : "")}";
        await FailOverAsync(plan, master.Name, address, nodeEvent.Time, why, cancellationToken).ConfigureAwait(false);
    }

    private async Task FailOverAsync(ResourcePlan plan, string fromNode, string fromAddress, DateTimeOffset since, string why, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _failoversInFlight) > 1)
        {
            Interlocked.Decrement(ref _failoversInFlight);
            return;
        }

        try
        {
            Record("Warning", "FastFailover", $"{why}: asking Sentinel to fail over now");
            var sentinels = SentinelAddresses();
            if (sentinels.Count == 0)
            {
                Record("Warning", "FailoverNotStarted", "no Sentinel is reachable; Sentinel will fail over after down-after-milliseconds once one is");
                return;
            }

            var views = await Task.WhenAll(sentinels.Select(s => SentinelViewAsync(plan, s))).ConfigureAwait(false);
            if (FastFailoverCheck.WhyNot(fromAddress, views) is { } whyNot)
            {
                Record("Normal", "FailoverNotNeeded", whyNot);
                return;
            }

            // One Sentinel leads; the others stop watching until it is done. Otherwise they reach down-after while the
            // leader waits for the promotion, elect a leader of their own in the same epoch and promote a second master.
            // The leader is the last one listed: clients ask the first ones first, and those learn the new master
            // from Redoubt as soon as it accepts writes, before the leader has confirmed the promotion.
            var leader = sentinels.Where((_, i) => views[i] is not null).Last();
            var others = sentinels.Where(s => s != leader).ToList();
            if (!await AskSentinelToFailOverAsync(plan, leader).ConfigureAwait(false))
            {
                Record("Warning", "FailoverNotStarted", $"Sentinel {leader} did not accept SENTINEL FAILOVER; Sentinel fails over after down-after-milliseconds");
                return;
            }

            await Task.WhenAll(others.Select(o => TryAsync(() => _fastAdmin.ExecuteAsync(o, NodeKind.Sentinel, "SENTINEL", "REMOVE", plan.MasterName)))).ConfigureAwait(false);

            // A forced failover that Sentinel aborts and restarts can take two failover timeouts.
            var limit = TimeSpan.FromMilliseconds(2L * plan.Spec.Sentinel.FailoverTimeout + 2000);
            if (await NewMasterAsync(plan, leader, fromAddress, limit, cancellationToken, askAgain: true).ConfigureAwait(false) is not { } promoted)
            {
                // Pointed at a dead master the others would know neither replicas nor peers, and could only start a
                // failover of their own against the leader's: the healer points them at whichever master emerges.
                Record("Warning", "FailoverSlow", $"no replica became master within {limit.TotalMilliseconds:F0} ms of SENTINEL FAILOVER");
                return;
            }

            RecordFailover(since, _time.GetUtcNow() - since, fromNode, NodeNameOf(promoted), why);
            // The others watch again, at the new master: they answer clients at once and learn the epoch from the leader.
            var rejoin = new MonitorMaster([.. others.Select(o => new SentinelTarget(o, o, Replace: false))], promoted, "rejoin after the fast failover");
            try
            {
                await _executor.ExecuteAsync(plan, rejoin, _password).ConfigureAwait(false);
            }
            catch (RedisAdminException e)
            {
                // The healer re-points them on its next pass (they monitor nothing, or lack their password).
                Record("Warning", "ActionFailed", $"could not {rejoin.Describe()}: {e.Message}");
            }
        }
        finally
        {
            Interlocked.Decrement(ref _failoversInFlight);
        }
    }

    private async Task<bool> AskSentinelToFailOverAsync(ResourcePlan plan, string sentinel)
    {
        try
        {
            await _fastAdmin.ExecuteAsync(sentinel, NodeKind.Sentinel, "SENTINEL", "FAILOVER", plan.MasterName).ConfigureAwait(false);
            return true;
        }
        catch (RedisReplyException e) when (e.Message.StartsWith("INPROG", StringComparison.Ordinal))
        {
            return true;
        }
        catch (RedisAdminException e)
        {
            LogSentinelRefused(_logger, sentinel, e.Message);
            return false;
        }
    }

    /// <summary>
    /// The address of the node that became master after SENTINEL FAILOVER: the first replica that reports the role
    /// itself (writes can go there from that moment), or the master the leader names, whichever comes first.
    /// Sentinel only notices a promotion on its next INFO to the replica, up to a second later.
    /// </summary>
    private async Task<string?> NewMasterAsync(ResourcePlan plan, string leader, string fromAddress, TimeSpan limit, CancellationToken cancellationToken, bool askAgain = false)
    {
        // A forced failover that finds no good replica (a Sentinel that has only just connected to them) is aborted,
        // not retried: asking again each second restarts it. A failover already running answers INPROG.
        var asked = _time.GetUtcNow();
        List<string> replicas;
        lock (_state)
        {
            replicas = _lastObservation?.Nodes.Where(n => n.Address is not null && n.Address != fromAddress).Select(n => n.Address!).ToList() ?? [];
        }

        var deadline = _time.GetUtcNow() + limit;
        while (_time.GetUtcNow() < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var roles = replicas.Select(RoleOfAsync).ToList();
            var named = MasterNamedByAsync(plan, leader);
            var answered = await Task.WhenAll(roles).ConfigureAwait(false);
            var promoted = replicas.Where((_, i) => answered[i] == "master").FirstOrDefault();
            var fromLeader = await named.ConfigureAwait(false);
            if (promoted is not null)
            {
                return promoted;
            }

            if (fromLeader is not null && fromLeader != fromAddress)
            {
                return fromLeader;
            }

            // Only when every replica answered as a replica: one that did not answer may have been promoted already (a
            // failover Sentinel then aborted, slow to see it), and asking again would promote a second master.
            if (askAgain && _time.GetUtcNow() - asked > TimeSpan.FromSeconds(1) && answered.All(role => role is not null))
            {
                asked = _time.GetUtcNow();
                await AskSentinelToFailOverAsync(plan, leader).ConfigureAwait(false);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), _time, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<string?> RoleOfAsync(string address)
    {
        try
        {
            var reply = await _fastAdmin.ExecuteAsync(address, NodeKind.Redis, TimeSpan.FromMilliseconds(250), "ROLE").ConfigureAwait(false);
            return reply.Array.Count > 0 ? reply.Array[0].Text : null;
        }
        catch (RedisAdminException)
        {
            return null;
        }
    }

    /// <summary>
    /// PINGs the master ten times a second on a connection of its own. Two PINGs in a row that time out (a hang or a
    /// partition; an exited process is refused at once and takes the fast path) start the hang watch at once,
    /// not at the next reconcile pass: with Sentinel's fast timers the failover can be over before that pass, and a
    /// hung master must be fenced before it can wake up as a second master.
    /// </summary>
    private async Task WatchMasterAsync()
    {
        var silent = 0;
        DateTimeOffset? firstSilent = null;
        try
        {
            while (!_lifetime.IsCancellationRequested)
            {
                await Task.Delay(MasterPingPeriod, _time, _lifetime.Token).ConfigureAwait(false);
                RedisNodeObservation? master;
                ResourcePlan? plan;
                lock (_state)
                {
                    (master, plan) = (_master, _plan);
                }

                if (master?.Address is not { } address || plan is null || Volatile.Read(ref _watchingHang) == 1 || HangOver(master))
                {
                    silent = 0;
                    continue;
                }

                var sent = _time.GetUtcNow();
                try
                {
                    await _fastAdmin.ExecuteAsync(address, NodeKind.Redis, MasterPingTimeout, "PING").ConfigureAwait(false);
                    if (silent > 0 || firstSilent is not null)
                    {
                        // A stall that ended: no failover is coming from it.
                        (silent, firstSilent) = (0, null);
                        lock (_state)
                        {
                            _masterSilentSince = null;
                        }
                    }
                }
                catch (NodeUnreachableException e) when (e.InnerException is OperationCanceledException)
                {
                    firstSilent = silent == 0 ? sent : firstSilent;
                    if (++silent >= 2)
                    {
                        silent = 0;
                        lock (_state)
                        {
                            // The master it watched is still the master: the silence is where its failover starts.
                            if (_master?.Address == address)
                            {
                                _masterSilentSince ??= firstSilent;
                            }
                        }

                        _ = WatchHungMasterAsync(plan, master, "two PINGs in a row timed out");
                    }
                }
                catch (RedisAdminException)
                {
                    // Refused or answered with an error: not a hang.
                    silent = 0;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // This watch must outlive anything unexpected: a dead watch would leave hangs unfenced.
                    LogLoopFailed(_logger, "master watch", e);
                    silent = 0;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>
    /// PINGs every node and Sentinel once a second on the fast connections, so that the fast failover and the hang
    /// watch find them open: opening one (connect and AUTH) on a loaded machine can take longer than their 250 ms
    /// requests allow, and each timeout drops the connection, so a cold one may never open in time.
    /// </summary>
    private async Task KeepFastConnectionsAsync()
    {
        try
        {
            while (!_lifetime.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, _lifetime.Token).ConfigureAwait(false);
                ClusterObservation? observation;
                lock (_state)
                {
                    observation = _lastObservation;
                }

                if (observation is null)
                {
                    continue;
                }

                var targets = observation.Nodes.Where(n => n.Reachable).Select(n => (n.Address!, NodeKind.Redis))
                    .Concat(observation.Sentinels.Where(s => s.Reachable).Select(s => (s.Address!, NodeKind.Sentinel)));
                // The master is the master watch's: a PING of ours on a hung master would hold its connection for a second.
                var master = LastMaster()?.Address;
                try
                {
                    await Task.WhenAll(targets.Where(t => t.Item1 != master).Select(t => TryAsync(() => _fastAdmin.ExecuteAsync(t.Item1, t.Item2, TimeSpan.FromMilliseconds(500), "PING")))).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogLoopFailed(_logger, "connection keeper", e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>
    /// The master's process runs but does not answer: Sentinel will fail over after down-after. The moment another
    /// node is master, the hung one is fenced, before it can wake up and acknowledge the writes queued in its
    /// sockets. A reconcile pass is too slow for this (it spends a timeout on the hung node), hence a watch of its own.
    /// </summary>
    private async Task WatchHungMasterAsync(ResourcePlan plan, RedisNodeObservation hung, string why)
    {
        if (Interlocked.Exchange(ref _watchingHang, 1) == 1)
        {
            return;
        }

        LogHangWatch(_logger, $"{hung.Name} ({hung.Address})", why);
        try
        {
            DateTimeOffset since;
            lock (_state)
            {
                since = _masterSilentSince ?? _noMasterSince ?? _time.GetUtcNow();
            }

            var deadline = _time.GetUtcNow() + TimeSpan.FromMilliseconds(plan.Spec.Sentinel.DownAfterMilliseconds + 2L * plan.Spec.Sentinel.FailoverTimeout + 5000);
            var sentinels = SentinelAddresses();
            var fenced = false;
            while (_time.GetUtcNow() < deadline && !_lifetime.IsCancellationRequested)
            {
                // Once the Sentinels agree it is down (o_down), it will be deposed whatever happens next: kill it now,
                // before it can resume. Then watch on, for the failover's record.
                if (!fenced)
                {
                    var judged = await Task.WhenAll(sentinels.Select(s => ObjectivelyDownAsync(plan, s, hung.Address!))).ConfigureAwait(false);
                    if (judged.Any(down => down) && await RoleOfAsync(hung.Address!).ConfigureAwait(false) is null)
                    {
                        fenced = true;
                        await FenceHungAsync(plan, hung, "the Sentinels agree it is down").ConfigureAwait(false);
                        continue;
                    }
                }

                var named = await Task.WhenAll(sentinels.Select(s => MasterNamedByAsync(plan, s))).ConfigureAwait(false);
                foreach (var candidate in named.OfType<string>().Where(a => a != hung.Address).Distinct())
                {
                    if (await RoleOfAsync(candidate).ConfigureAwait(false) != "master")
                    {
                        continue;
                    }

                    if (!fenced && await RoleOfAsync(hung.Address!).ConfigureAwait(false) is null)
                    {
                        await FenceHungAsync(plan, hung, $"{NodeNameOf(candidate)} is master now").ConfigureAwait(false);
                    }

                    // Recorded here, when the new master answers as one; a pass would notice later, slowed by the silent node.
                    var promoted = NodeNameOf(candidate);
                    bool recorded;
                    lock (_state)
                    {
                        _hangOver = (hung.Address, hung.Pid);
                        // A pass may have seen it first and recorded it from the same start.
                        recorded = _lastFailover is { } last && last.To == promoted && last.Time >= since;
                    }

                    if (!recorded)
                    {
                        RecordFailover(since, _time.GetUtcNow() - since, hung.Name, promoted, "Sentinel failed over: the master did not answer (hung or cut off)");
                    }

                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, _lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            LogLoopFailed(_logger, "hang watch", e);
        }
        finally
        {
            Interlocked.Exchange(ref _watchingHang, 0);
        }
    }

    /// <summary>Kills the process that hung as master; the exit it causes is expected, never a reason for the fast path.</summary>
    private async Task FenceHungAsync(ResourcePlan plan, RedisNodeObservation hung, string why)
    {
        Volatile.Write(ref _expectedExit, hung.Name);
        if (await _platform.FenceNodeAsync(plan, hung.Name, hung.Pid, _lifetime.Token).ConfigureAwait(false))
        {
            Record("Warning", "Fenced", $"fence {hung.Name} ({hung.Address}): it runs but does not answer (hung or cut off) and {why}");
        }
        else
        {
            // Already gone or replaced: no exit of ours is coming, so a later exit of that node is news.
            Interlocked.CompareExchange(ref _expectedExit, null, hung.Name);
        }
    }

    private async Task<bool> ObjectivelyDownAsync(ResourcePlan plan, string sentinel, string master) =>
        await SentinelViewAsync(plan, sentinel).ConfigureAwait(false) is { } view
        && view.Master == master && view.ObjectivelyDown;

    /// <summary>The master a Sentinel monitors under our name and its flags, or null when it does not answer in 250 ms.</summary>
    private async Task<SentinelView?> SentinelViewAsync(ResourcePlan plan, string sentinel)
    {
        try
        {
            var fields = Observer.Pairs(await _fastAdmin.ExecuteAsync(sentinel, NodeKind.Sentinel, TimeSpan.FromMilliseconds(250), "SENTINEL", "MASTER", plan.MasterName).ConfigureAwait(false));
            return new SentinelView(Endpoints.Format(fields.Text("ip") ?? "", (int)fields.Number("port")), fields.Text("flags") ?? "");
        }
        catch (RedisAdminException)
        {
            return null;
        }
    }

    private string? CurrentMasterName() => LastMaster()?.Name;

    private bool HangOver(RedisNodeObservation master)
    {
        lock (_state)
        {
            return _hangOver == (master.Address, master.Pid);
        }
    }

    private RedisNodeObservation? LastMaster()
    {
        lock (_state)
        {
            return _master;
        }
    }

    private string NodeNameOf(string address)
    {
        lock (_state)
        {
            return _lastObservation?.Nodes.FirstOrDefault(n => n.Address == address)?.Name ?? address;
        }
    }

    private async Task<string?> MasterNamedByAsync(ResourcePlan plan, string sentinel)
    {
        try
        {
            var reply = (await _fastAdmin.ExecuteAsync(sentinel, NodeKind.Sentinel, TimeSpan.FromMilliseconds(250), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", plan.MasterName).ConfigureAwait(false)).Array;
            return reply is [{ Text: { } host }, { Text: { } port }] ? Endpoints.Format(host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)) : null;
        }
        catch (RedisAdminException)
        {
            return null;
        }
    }

    private List<string> SentinelAddresses()
    {
        lock (_state)
        {
            return _lastObservation?.Sentinels.Where(s => s.Reachable && s.Address is not null).Select(s => s.Address!).ToList() ?? [];
        }
    }

    private void NoteMaster(RedisNodeObservation? master, ClusterObservation observation, DateTimeOffset now)
    {
        _lastObservation = observation;
        if (master is null)
        {
            _noMasterSince ??= now;
            return;
        }

        if (_master is { } previous && previous.Address != master.Address && (_lastFailover is null || _lastFailover.To != master.Name || _lastFailover.Time < (_noMasterSince ?? now) - TimeSpan.FromSeconds(30)))
        {
            // A failover Redoubt did not drive (Sentinel's slow path, a hang or a partition): it started when the
            // master stopped answering the master watch, or else when a pass first found no master.
            var since = new[] { _masterSilentSince, _noMasterSince, now }.OfType<DateTimeOffset>().Min();
            RecordFailover(since, now - since, previous.Name, master.Name, "Sentinel failed over (master unreachable)");
        }

        if (_master is { } before && before.Address != master.Address)
        {
            _deposed = before.Address;
            _deposedPid = before.Pid;
        }
        else if (observation.Nodes.Any(n => n.Address == _deposed && n.IsReplica))
        {
            _deposed = null;
        }

        if (_master is { } changed && changed.Address != master.Address)
        {
            _masterSilentSince = null;
            _hangOver = default;
        }

        _noMasterSince = null;
        _master = master;
    }

    private void RecordFailover(DateTimeOffset since, TimeSpan took, string from, string to, string cause)
    {
        _lastFailover = new FailoverRecord { Time = since, DurationMs = Math.Round(took.TotalMilliseconds, 1), From = from, To = to, Cause = cause };
        Record("Warning", "FailedOver", $"master moved from {from} to {to} in {took.TotalMilliseconds:F0} ms: {cause}");
    }

    private ResourcePlan KeepingCurrentMaster(ResourcePlan plan)
    {
        RedisNodeObservation? master;
        lock (_state)
        {
            master = _master;
        }

        if (master is null || plan.RedisNodes.Any(n => n.Name == master.Name))
        {
            return plan;
        }

        // Scale-down: the master leaves only after a switchover, so it stays in what the platform ensures until then.
        var ordinal = int.TryParse(master.Name.AsSpan(master.Name.LastIndexOf('-') + 1), out var o) ? o : plan.RedisNodes.Count;
        return plan with { RedisNodes = [.. plan.RedisNodes, new PlannedNode(NodeKind.Redis, master.Name, ordinal, master.Zone)] };
    }

    private RedisStatus BuildStatus(RedisResource resource, ResourcePlan plan, ClusterObservation? observation, HealDecision? decision, bool ready)
    {
        var now = _time.GetUtcNow();
        var master = decision?.Master;
        var failingOver = _failoversInFlight > 0 || decision?.Waiting?.Contains("failover", StringComparison.Ordinal) == true
            || decision?.Actions.Any(a => a is RequestFailover) == true;
        var status = new RedisStatus
        {
            Phase = observation is null ? Phases.Pending : StatusBuilder.Phase(ready, failingOver, _everReady),
            ObservedGeneration = resource.Metadata.Generation,
            Master = master?.Address,
            MasterName = plan.MasterName,
            Sentinels = observation?.Sentinels.Where(s => s.Address is not null).Select(s => s.Address!).ToList() ?? LastStatus?.Sentinels ?? [],
            RedisVersion = observation?.Nodes.FirstOrDefault(n => n.Version is not null)?.Version ?? LastStatus?.RedisVersion,
            Nodes = observation is null ? [] : StatusBuilder.Nodes(observation, master),
            SentinelNodes = observation is null ? [] : StatusBuilder.Sentinels(plan, observation, master),
            LastFailover = _lastFailover,
        };
        if (observation is not null && decision is not null)
        {
            _conditions = StatusBuilder.Conditions(plan, observation, decision, ready, _conditions, now);
        }

        status.Conditions = _conditions;
        status.Events = Events.Snapshot();
        return status;
    }

    private ReconcileOutcome Publish(RedisStatus status, TimeSpan requeue)
    {
        LastStatus = status;
        return new ReconcileOutcome(status, requeue);
    }

    private void Record(string type, string reason, string message)
    {
        Events.Add(type, reason, message);
        if (type == "Warning")
        {
            LogWarningEvent(_logger, reason, message);
        }
        else
        {
            LogEvent(_logger, reason, message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _admin.DisposeAsync().ConfigureAwait(false);
        await _fastAdmin.DisposeAsync().ConfigureAwait(false);
        _lifetime.Dispose();
        _gate.Dispose();
    }
}
