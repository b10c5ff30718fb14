using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Healing;

/// <summary>
/// Carries out every single-step action, against Redis and Sentinel or through the platform (fencing, restarts). Each
/// action is independent: one failing does not stop the rest. The compound ones (a failover, a switchover) are parts of
/// the reconciler of their own that run their steps through here.
/// </summary>
public sealed class HealExecutor(RedisAdmin admin, IRedisPlatform platform)
{
    /// <summary>Carries out the action; false when it found nothing to do (a node to fence had already gone).</summary>
    public async Task<bool> ExecuteAsync(ResourcePlan plan, HealAction action, string? password, CancellationToken cancellationToken = default)
    {
        switch (action)
        {
            case FenceNode f:
                return await platform.FenceNodeAsync(plan, f.Node, f.Pid, f.Since, cancellationToken).ConfigureAwait(false);
            case RestartNode r:
                await platform.RestartNodeAsync(plan, r.Node, cancellationToken).ConfigureAwait(false);
                break;
            case PromoteNode p:
                await admin.ExecuteAsync(p.Address, NodeKind.Redis, "REPLICAOF", "NO", "ONE").ConfigureAwait(false);
                break;
            case AttachReplica a:
                await ReplicaOfAsync(a.Address, a.MasterAddress).ConfigureAwait(false);
                break;
            case DemoteMaster d:
                await ReplicaOfAsync(d.Address, d.MasterAddress).ConfigureAwait(false);
                break;
            case MonitorMaster m:
                await Task.WhenAll(m.Sentinels.Select(s => MonitorAsync(plan, s, m.MasterAddress, password))).ConfigureAwait(false);
                break;
            case SetSentinelOption o:
                await admin.ExecuteAsync(o.Address, NodeKind.Sentinel, "SENTINEL", "SET", plan.MasterName, o.Key, o.Value).ConfigureAwait(false);
                break;
            case SetSentinelTimers t:
                await admin.ExecuteAsync(t.Address, NodeKind.Sentinel, "SENTINEL", ["DEBUG", .. t.Timers.SelectMany(s => new object[] { s.Key, s.Value })]).ConfigureAwait(false);
                break;
            case RemoveForeignMaster f:
                await admin.ExecuteAsync(f.Address, NodeKind.Sentinel, "SENTINEL", "REMOVE", f.MasterName).ConfigureAwait(false);
                break;
            case ResetSentinel r:
                await admin.ExecuteAsync(r.Address, NodeKind.Sentinel, "SENTINEL", "RESET", plan.MasterName).ConfigureAwait(false);
                break;
            case RefreshSentinel r:
                await admin.PipelineAsync(r.Address, NodeKind.Sentinel, [SettingsCommand(plan, password)]).ConfigureAwait(false);
                break;
            case SetConfig c:
                await admin.ExecuteAsync(c.Address, NodeKind.Redis, "CONFIG", "SET", c.Key, c.Value).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"the executor has no way to {action.Describe()}");
        }

        return true;
    }

    public Task ReplicaOfAsync(string address, string masterAddress)
    {
        var (host, port) = Endpoints.Parse(masterAddress);
        return admin.ExecuteAsync(address, NodeKind.Redis, "REPLICAOF", host, port);
    }

    private async Task MonitorAsync(ResourcePlan plan, SentinelTarget sentinel, string masterAddress, string? password)
    {
        var (host, port) = Endpoints.Parse(masterAddress);
        var commands = new List<object[]>();
        if (sentinel.Replace)
        {
            commands.Add(["SENTINEL", "REMOVE", plan.MasterName]);
        }

        commands.Add(["SENTINEL", "MONITOR", plan.MasterName, host, port, plan.Spec.Sentinel.Quorum]);
        commands.Add(SettingsCommand(plan, password));
        // One write: the Sentinel has its password before its first PING, so it never sees NOAUTH and never
        // counts a healthy master as down.
        await admin.PipelineAsync(sentinel.Address, NodeKind.Sentinel, commands).ConfigureAwait(false);
    }

    private static object[] SettingsCommand(ResourcePlan plan, string? password)
    {
        var set = new List<object> { "SENTINEL", "SET", plan.MasterName };
        if (password is not null)
        {
            set.AddRange(["auth-pass", password]);
        }

        foreach (var setting in plan.SentinelSettings)
        {
            set.AddRange([setting.Key, setting.Value]);
        }

        return [.. set];
    }
}
