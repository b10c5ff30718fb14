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
/// One pass: ensure the plan's nodes, observe them, let the healer decide, act (at most one disruptive step), report.
/// Level-based: every pass reads the world fresh; what it remembers lives in the master history.
/// </summary>
public sealed class ReconcilePass(
    IRedisPlatform platform,
    ResourceKnowledge knowledge,
    Observer observer,
    HealExecutor executor,
    Fencing fencing,
    FastProbes probes,
    FastFailover fastFailover,
    Switchover switchover,
    Journal journal,
    CertificateReload certificates,
    IResourceTelemetry telemetry,
    ILogger logger,
    TimeProvider time)
{
    private static readonly TimeSpan FastRequeue = TimeSpan.FromMilliseconds(500);
    // A Ready resource is looked at again every 5 s: what must be seen sooner has a path of its own (an exit is a node
    // event and starts a pass, a silent master the master watch), and at 50 resources a pass every 2 s was most of an
    // idle control plane's CPU.
    private static readonly TimeSpan SteadyRequeue = TimeSpan.FromSeconds(5);

    private List<StatusCondition> _conditions = [];
    /// <summary>When each node was last asked for a snapshot after one failed (only passes touch it).</summary>
    private readonly Dictionary<string, DateTimeOffset> _snapshotRetried = new(StringComparer.Ordinal);

    public RedisStatus? LastStatus { get; private set; }

    public void Restore(RedisStatus status) => _conditions = status.Conditions;

    /// <summary>
    /// Runs a pass. <paramref name="hungMaster"/> is called when the pass finds the master the Sentinels name silent:
    /// the hang watch takes it from there.
    /// </summary>
    public async Task<ReconcileOutcome> RunAsync(RedisResource resource, ResourcePlan plan, ResourceSecrets secrets, Action<RedisNodeObservation> hungMaster, CancellationToken cancellationToken)
    {
        try
        {
            var nodes = await platform.EnsureAsync(KeepingCurrentMaster(plan), cancellationToken).ConfigureAwait(false);
            var staleCertificates = await certificates.RunAsync(nodes, cancellationToken).ConfigureAwait(false);
            var observation = await observer.ObserveAsync(plan, nodes, cancellationToken).ConfigureAwait(false) with { StaleCertificates = staleCertificates };
            var now = time.GetUtcNow();
            var access = AccessPlan.From(secrets);
            var decision = knowledge.Update(history =>
            {
                var decided = Healer.Decide(plan, observation, new HealContext
                {
                    Now = now,
                    NoMasterSince = history.NoMasterSince,
                    LastKnownMaster = history.Master?.Address,
                    DeposedMaster = history.DeposedAddress,
                    DeposedPid = history.DeposedPid,
                    DeposedSince = history.DeposedSince,
                    FailoverInFlight = knowledge.FailoverInFlight,
                    Access = access,
                    SnapshotRetried = _snapshotRetried,
                    Endpoint = platform.MasterEndpoint(plan),
                });
                var (next, unrecorded) = history.Observe(decided.Master, observation, now);
                return (next, (decided, unrecorded));
            });
            var awaitingRotation = access is null ? new HashSet<string>() : AccessRules.AwaitingRotation(observation, access);
            var loginProven = access is null ? new HashSet<string>() : AccessRules.LoginProven(observation, access);
            var rotationApplied = access is null || AccessRules.InPlace(observation, access);
            observation = Refused(observation, await ApplicationRefusedAsync(observation, decision.decided.Master, secrets.Application, probes.Admin.Tls, a => !awaitingRotation.Contains(a) && !loginProven.Contains(a), cancellationToken).ConfigureAwait(false));
            if (decision.unrecorded is { } failover)
            {
                journal.Announce(failover);
            }

            // Only the process that was master is hung: a restarted one on the same address (parked, or still starting) is not.
            var history = knowledge.History;
            if (decision.decided.Master is null && Healer.SentinelMajority(plan, observation) is { } named
                && observation.Nodes.FirstOrDefault(n => n.Address == named) is { Reachable: false, Lifecycle: NodeLifecycle.Running } silent
                && history.Master is { } last && last.Address == named && (last.Pid is null || last.Pid == silent.Pid) && !history.IsReplaced(last))
            {
                hungMaster(last);
            }

            var actions = decision.decided.ActionsForThisPass();
            foreach (var action in actions)
            {
                if (action is RetrySnapshot retry)
                {
                    _snapshotRetried[retry.Node] = now;
                }

                await ActAsync(resource, plan, observation, action, secrets, cancellationToken).ConfigureAwait(false);
            }

            if (awaitingRotation.Count > 0)
            {
                // Asked only now: the actions above gave them the new password.
                var late = await ApplicationRefusedAsync(observation, decision.decided.Master, secrets.Application, probes.Admin.Tls, awaitingRotation.Contains, cancellationToken).ConfigureAwait(false);
                observation = Refused(observation, [.. observation.ApplicationRefused, .. late]);
            }

            var ready = actions.Count == 0 && StatusBuilder.IsReady(plan, observation, decision.decided.Master);
            knowledge.Update(h => ready && !h.EverReady ? h with { EverReady = true } : h);
            var status = BuildStatus(resource, plan, observation, decision.decided, ready);
            status.PasswordRotation = Rotation(secrets, rotationApplied && observation.ApplicationRefused.Count == 0);
            telemetry.Observed(Samples.Of(resource, plan, observation, status));
            return Publish(status, actions.Count > 0 || !ready ? FastRequeue : SteadyRequeue);
        }
        catch (RedoubtException e)
        {
            return Failed(resource, plan, e);
        }
    }

    /// <summary>The observation with the application's refusals, said once when they start (the conditions say it for as long as it lasts).</summary>
    private ClusterObservation Refused(ClusterObservation observation, IReadOnlyList<string> refused)
    {
        if (refused.Count > 0 && knowledge.Observation?.ApplicationRefused.Count is null or 0)
        {
            journal.Warning("LoginRefused", $"applications cannot log in: {string.Join("; ", refused)}");
        }

        observation = observation with { ApplicationRefused = refused };
        knowledge.Observation = observation;
        return observation;
    }

    /// <summary>
    /// Logs in as the application on the master and on every Sentinel that answers (those <paramref name="include"/>
    /// takes), each on a fresh connection. Where the ACL this pass read proves the login, none is opened: with ACL users
    /// that is every node in a steady state, and four logins per resource every 5 s were the costliest requests of an
    /// idle control plane. A login still runs where there are no ACL users (one password), where the ACL was not read,
    /// and where it differs (then the refusal, WRONGPASS or other, is what the status and the events report).
    /// </summary>
    private static async Task<IReadOnlyList<string>> ApplicationRefusedAsync(ClusterObservation observation, RedisNodeObservation? master, string? password, Tls.ServerTrust? tls, Func<string, bool> include, CancellationToken cancellationToken)
    {
        var targets = observation.Sentinels.Where(s => s.Reachable).Select(s => (s.Name, Address: s.Address!)).ToList();
        if (master?.Address is { } address)
        {
            targets.Insert(0, (master.Name, address));
        }

        targets = [.. targets.Where(t => include(t.Address))];

        var refusals = await Task.WhenAll(targets.Select(t => ApplicationLogin.RefusedAsync(t.Address, password, tls, cancellationToken))).ConfigureAwait(false);
        return [.. targets.Zip(refusals).Where(r => r.Second is not null).Select(r => $"{r.First.Name}: {r.Second}")];
    }

    /// <summary>The platform failed (it could not create a node, store a secret): the status says so, and the pass is retried.</summary>
    public ReconcileOutcome Failed(RedisResource resource, ResourcePlan plan, RedoubtException e)
    {
        journal.Warning("PlatformError", e.Message);
        var status = BuildStatus(resource, plan, null, null, ready: false);
        status.Phase = Phases.Failed;
        status.PasswordRotation = LastStatus?.PasswordRotation;
        telemetry.Observed(Samples.Of(resource, plan, null, status));
        return Publish(status, TimeSpan.FromSeconds(5));
    }

    /// <summary>A planned switchover on a fresh observation (which keeps a master a scale-down removes).</summary>
    public async Task<SwitchoverResult> SwitchoverAsync(ResourcePlan plan, string? target, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        var watched = KeepingCurrentMaster(plan);
        var nodes = await platform.CheckAsync(watched, cancellationToken).ConfigureAwait(false);
        var observation = await observer.ObserveAsync(watched, nodes, cancellationToken).ConfigureAwait(false);
        return await switchover.RunAsync(watched, observation, target, secrets, cancellationToken).ConfigureAwait(false);
    }

    private async Task ActAsync(RedisResource resource, ResourcePlan plan, ClusterObservation observation, HealAction action, ResourceSecrets secrets, CancellationToken cancellationToken)
    {
        if (SentinelRecheck.Intended(action) is { } intended && await SentinelsMovedOnAsync(plan, observation, intended).ConfigureAwait(false) is { } why)
        {
            journal.Normal("ActionDropped", $"did not {action.Describe()}: {why}");
            return;
        }

        ReconcilerLog.Action(logger, action.Describe(), action.Reason);
        try
        {
            switch (action)
            {
                case RequestFailover failover:
                    await fastFailover.RunAsync(plan, failover.FromNode, failover.FromAddress, time.GetUtcNow(), failover.Reason, secrets, cancellationToken).ConfigureAwait(false);
                    break;
                case FenceNode fence:
                    await fencing.FenceAsync(plan, fence, cancellationToken).ConfigureAwait(false);
                    knowledge.Update(h => h.Fenced());
                    break;
                case RestartNode restart:
                    if (restart.Node == knowledge.History.Master?.Name)
                    {
                        // Restarting the only node: there is no replica to fail over to, so its exit is not a failover.
                        knowledge.ExpectExit(restart.Node);
                    }

                    await executor.ExecuteAsync(plan, restart, secrets, cancellationToken).ConfigureAwait(false);
                    journal.Normal("Restarted", $"{action.Describe()}: {action.Reason}");
                    break;
                case SwitchMaster:
                    journal.Normal("Switchover", $"{action.Describe()}: {action.Reason}");
                    var result = await switchover.RunAsync(plan, observation, null, secrets, cancellationToken).ConfigureAwait(false);
                    if (!result.Succeeded)
                    {
                        journal.Warning("SwitchoverFailed", result.Message);
                    }

                    break;
                default:
                    await executor.ExecuteAsync(plan, action, secrets, cancellationToken).ConfigureAwait(false);
                    journal.Normal(action.GetType().Name, $"{action.Describe()}: {action.Reason}");
                    break;
            }

            telemetry.Healed(action);
        }
        catch (RedisAdminException e)
        {
            // One failed action must not stop the others; the next pass sees the world again and retries.
            journal.Warning("ActionFailed", $"could not {action.Describe()}: {e.Message}");
        }
    }

    private async Task<string?> SentinelsMovedOnAsync(ResourcePlan plan, ClusterObservation observation, string intended)
    {
        var sentinels = observation.Sentinels.Where(s => s.Address is not null).Select(s => s.Address!).ToList();
        var named = await Task.WhenAll(sentinels.Select(s => probes.MasterNamedByAsync(s, plan.MasterName))).ConfigureAwait(false);
        var rival = SentinelRecheck.Rival(intended, named);
        var role = rival is { } r ? await probes.RoleOfAsync(r.Address).ConfigureAwait(false) : null;
        var runs = rival is { } n && observation.Nodes.Any(o => o.Address == n.Address && o.Lifecycle is NodeLifecycle.Running or NodeLifecycle.Starting);
        return SentinelRecheck.WhyNot(intended, named, plan.Sentinels.Count, role, runs);
    }

    private ResourcePlan KeepingCurrentMaster(ResourcePlan plan)
    {
        var master = knowledge.History.Master;
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
        var now = time.GetUtcNow();
        var history = knowledge.History;
        var master = decision?.Master;
        var failingOver = knowledge.FailoverInFlight || decision?.Waiting?.Contains("failover", StringComparison.Ordinal) == true
            || decision?.Actions.Any(a => a is RequestFailover) == true;
        var status = new RedisStatus
        {
            Phase = observation is null ? Phases.Pending : StatusBuilder.Phase(ready, failingOver, history.EverReady),
            ObservedGeneration = resource.Metadata.Generation,
            Master = master?.Address,
            Endpoint = platform.ClientEndpoint(plan),
            MasterName = plan.MasterName,
            Sentinels = observation?.Sentinels.Where(s => s.Address is not null).Select(s => s.Address!).ToList() ?? LastStatus?.Sentinels ?? [],
            RedisVersion = observation?.Nodes.FirstOrDefault(n => n.Version is not null)?.Version ?? LastStatus?.RedisVersion,
            Nodes = observation is null ? [] : StatusBuilder.Nodes(observation, master),
            SentinelNodes = observation is null ? [] : StatusBuilder.Sentinels(plan, observation, master),
            LastFailover = history.LastFailover,
        };
        if (observation is not null && decision is not null)
        {
            _conditions = StatusBuilder.Conditions(plan, observation, decision, ready, _conditions, now);
        }

        status.Conditions = _conditions;
        status.Events = journal.Events.Snapshot();
        return status;
    }

    /// <summary>The last rotation as the status shows it; <paramref name="applied"/> when every node and Sentinel takes the new password.</summary>
    private static PasswordRotationStatus? Rotation(ResourceSecrets secrets, bool applied) =>
        secrets.RotationRequest is { } request && secrets.Application is not null
            ? new PasswordRotationStatus { Request = request, Applied = applied, OldPasswordUntil = secrets.Retiring?.Until }
            : null;

    private ReconcileOutcome Publish(RedisStatus status, TimeSpan requeue)
    {
        LastStatus = status;
        return new ReconcileOutcome(status, requeue);
    }
}
