using Redoubt.Core.Healing;

namespace Redoubt.Core.Tests.Fixtures;

/// <summary>
/// Heal actions as one line each, with every field but the reason, so a table row can state the exact actions
/// expected in order (MonitorMaster holds a list, so record equality cannot compare it). An action without a line
/// here still shows up, by its description, in a failing assertion.
/// </summary>
internal static class Steps
{
    public static IReadOnlyList<string> Of(IEnumerable<HealAction> actions) => [.. actions.Select(Of)];

    public static string Of(HealAction action) => action switch
    {
        PromoteNode p => $"promote {p.Node} {p.Address}",
        AttachReplica a => $"attach {a.Node} {a.Address} to {a.MasterAddress}",
        DemoteMaster d => $"demote {d.Node} {d.Address} to {d.MasterAddress}",
        MonitorMaster m => $"monitor {m.MasterAddress} by {string.Join(", ", m.Sentinels.Select(s => $"{s.Name} {s.Address}{(s.Replace ? " replacing" : "")}"))}",
        SetSentinelOption o => $"sentinel set {o.Sentinel} {o.Address} {o.Key}={o.Value}",
        RemoveForeignMaster f => $"remove {f.MasterName} from {f.Sentinel} {f.Address}",
        ResetSentinel r => $"reset {r.Sentinel} {r.Address}",
        SetConfig c => $"config set {c.Node} {c.Address} {c.Key}={c.Value}",
        RequestFailover f => $"failover from {f.FromNode} {f.FromAddress}",
        SwitchMaster s => $"switch from {s.FromNode}",
        FenceNode f => $"fence {f.Node} {f.Address}",
        RefreshSentinel r => $"refresh {r.Sentinel} {r.Address}",
        RestartNode r => $"restart {r.Node} ({r.Kind})",
        SetSentinelTimers t => $"sentinel debug {t.Sentinel} {t.Address} {string.Join(" ", t.Timers.Select(x => $"{x.Key}={x.Value}"))}",
        RepairUsers u => $"users {u.Node} {string.Join(",", u.Users.Select(x => x.Name).Concat(u.Unexpected.Select(x => "-" + x)))}",
        SetReplicationAuth r => $"replication login {r.Node}",
        SetSentinelAuth s => $"sentinel logins {s.Sentinel}",
        HoldEndpoint h => $"hold {h.Endpoint} on {h.Node}",
        ReleaseEndpoint r => $"release {r.Endpoint} from {r.Node}",
        _ => $"{action.GetType().Name}: {action.Describe()}",
    };
}
