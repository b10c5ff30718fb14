using System.Globalization;
using Redoubt.Core.Platform;

namespace Redoubt.Core.Healing;

/// <summary>A Sentinel as another Sentinel knows it (SENTINEL SENTINELS): the identity a hello must carry to be heard.</summary>
public sealed record SentinelPeer(string Ip, int Port, string RunId);

/// <summary>What SENTINEL IS-MASTER-DOWN-BY-ADDR with epoch 0 fetches without voting: the Sentinel's last vote for that master.</summary>
public sealed record SentinelVote(string LeaderRunId, long Epoch);

/// <summary>
/// A Sentinel's hello (sentinel.c, sentinelSendHello): "ip,port,runid,current_epoch,master_name,master_ip,master_port,
/// master_config_epoch". A Sentinel that receives one from a peer it knows, naming its master with a higher configuration
/// epoch than its own, takes that master at once (+config-update-from, +switch-master).
/// </summary>
public sealed record SentinelHello(SentinelPeer Sender, long Epoch, string MasterName, string MasterIp, int MasterPort)
{
    public const string Channel = "__sentinel__:hello";

    public override string ToString() => string.Join(',',
        Sender.Ip, Sender.Port.ToString(CultureInfo.InvariantCulture), Sender.RunId, Epoch.ToString(CultureInfo.InvariantCulture),
        MasterName, MasterIp, MasterPort.ToString(CultureInfo.InvariantCulture), Epoch.ToString(CultureInfo.InvariantCulture));
}

/// <summary>What one Sentinel answered when asked for the announcement: its id and the peers it knows (null: it did not answer).</summary>
public sealed record SentinelIdentity(string Address, string? RunId, IReadOnlyList<SentinelPeer>? Peers);

/// <summary>
/// The announcement of a promotion to every Sentinel, in the words the failover's leader itself sends once it confirms
/// the promotion, which it does only on its next INFO to the promoted replica, up to a second later (sentinel.c sends
/// INFO to replicas once a second during a failover, whatever the configured period). Every Sentinel, the leader
/// included, receives the hello the leader would send: the new master in the failover's own epoch, said by a peer it
/// knows. It takes the new master at once and announces +switch-master to its clients.
///
/// Nothing here can send a Sentinel back: the epoch is the failover's (the leader's vote for itself), higher than any
/// configuration the Sentinels hold, so a late hello naming the old master (old epoch) is ignored, as it would be after
/// the leader's own. A leader that already confirmed holds that epoch and ignores the hello; one that has not resets
/// its failover to the new master, so the replicas it would have reconfigured are pointed at the new master by Redoubt.
/// </summary>
public static class PromotionAnnouncement
{
    /// <summary>
    /// The hello for each Sentinel (by index; null for one that cannot be told: it did not answer, or knows no peer),
    /// or the reason none can be sent.
    /// </summary>
    /// <param name="leader">The leader's identity.</param>
    /// <param name="vote">The leader's last vote, fetched without voting.</param>
    /// <param name="selected">The replica the leader selected (flag "promoted"), as the leader knows its address.</param>
    /// <param name="promoted">The node Redoubt saw answer as master.</param>
    /// <param name="sentinels">Every Sentinel, the leader among them.</param>
    public static (IReadOnlyList<SentinelHello?> Hellos, string? WhyNot) Plan(
        string masterName, SentinelIdentity leader, SentinelVote? vote, (string Ip, int Port)? selected, string promoted, IReadOnlyList<SentinelIdentity> sentinels)
    {
        IReadOnlyList<SentinelHello?> none = [.. sentinels.Select(_ => (SentinelHello?)null)];
        if (leader.RunId is null)
        {
            return (none, $"the leader {leader.Address} did not say its id");
        }

        // Its vote for itself is cast when its failover starts; any other vote is not this failover's epoch.
        if (vote is null || vote.LeaderRunId != leader.RunId || vote.Epoch <= 0)
        {
            return (none, $"the leader {leader.Address} holds no vote for itself, so the failover's epoch is unknown");
        }

        if (selected is not { } master)
        {
            return (none, $"the leader {leader.Address} names no replica it promoted");
        }

        if (Endpoints.Format(master.Ip, master.Port) != promoted)
        {
            return (none, $"the leader {leader.Address} promoted {Endpoints.Format(master.Ip, master.Port)}, but {promoted} answers as master");
        }

        var hellos = sentinels.Select(s => SenderFor(s, leader.RunId) is { } sender
            ? new SentinelHello(sender, vote.Epoch, masterName, master.Ip, master.Port)
            : null).ToList();
        return (hellos, null);
    }

    /// <summary>
    /// Who the hello to <paramref name="sentinel"/> comes from: the leader, as that Sentinel knows it (it is the leader's
    /// news); for the leader itself, or a Sentinel that does not know the leader, another peer it knows. A Sentinel
    /// never hears a hello in its own name: one that arrives in its own name makes it its own peer.
    /// </summary>
    public static SentinelPeer? SenderFor(SentinelIdentity sentinel, string leaderRunId)
    {
        if (sentinel.RunId is null || sentinel.Peers is null)
        {
            return null;
        }

        var known = sentinel.Peers.Where(p => p.RunId != sentinel.RunId && p.Port > 0).ToList();
        return known.FirstOrDefault(p => p.RunId == leaderRunId) ?? known.OrderBy(p => p.RunId, StringComparer.Ordinal).FirstOrDefault();
    }
}
