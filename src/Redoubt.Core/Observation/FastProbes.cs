using System.Globalization;
using Redoubt.Core.Healing;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Observation;

/// <summary>
/// The short questions the time-critical paths ask (the master watch, the hang watch, the fast failover), each bounded
/// by a quarter of a second and answered with null when a node is silent or refuses: on their own connections, so
/// that a pass spending a timeout on a silent node never delays them.
/// </summary>
public sealed class FastProbes(RedisAdmin admin)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// For the Sentinel commands that make it rewrite and fsync its config file before it answers (FAILOVER, REMOVE,
    /// MONITOR, SET): on a busy disk that took 2.8 s in one suite run, and a FAILOVER that timed out at 250 ms was taken
    /// for refused although Sentinel went ahead. Answered in milliseconds otherwise, so the fast path loses nothing.
    /// </summary>
    public static readonly TimeSpan ConfigWriteTimeout = TimeSpan.FromSeconds(3);

    public RedisAdmin Admin => admin;

    /// <summary>Holds back every write on <paramref name="address"/> for <paramref name="pause"/> (CLIENT PAUSE WRITE); false when it did not answer.</summary>
    public async Task<bool> PauseWritesAsync(string address, TimeSpan pause)
    {
        try
        {
            await admin.ExecuteAsync(address, NodeKind.Redis, Timeout, "CLIENT", "PAUSE", (long)pause.TotalMilliseconds, "WRITE").ConfigureAwait(false);
            return true;
        }
        catch (RedisAdminException)
        {
            return false;
        }
    }

    /// <summary>"master" or "slave" as ROLE says, or null.</summary>
    public async Task<string?> RoleOfAsync(string address)
    {
        try
        {
            var reply = await admin.ExecuteAsync(address, NodeKind.Redis, Timeout, "ROLE").ConfigureAwait(false);
            return reply.Array.Count > 0 ? reply.Array[0].Text : null;
        }
        catch (RedisAdminException)
        {
            return null;
        }
    }

    /// <summary>The master a Sentinel monitors under our name, with its flags and failover state.</summary>
    public async Task<SentinelView?> ViewAsync(string sentinel, string masterName)
    {
        try
        {
            var fields = Observer.Pairs(await admin.ExecuteAsync(sentinel, NodeKind.Sentinel, Timeout, "SENTINEL", "MASTER", masterName).ConfigureAwait(false));
            return new SentinelView(Endpoints.Format(fields.Text("ip") ?? "", (int)fields.Number("port")), fields.Text("flags") ?? "", fields.Text("failover-state") ?? "none");
        }
        catch (RedisAdminException)
        {
            return null;
        }
    }

    /// <summary>What SENTINEL GET-MASTER-ADDR-BY-NAME answers: what clients are told.</summary>
    public async Task<string?> MasterNamedByAsync(string sentinel, string masterName)
    {
        try
        {
            var reply = (await admin.ExecuteAsync(sentinel, NodeKind.Sentinel, Timeout, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName).ConfigureAwait(false)).Array;
            return reply is [{ Text: { } host }, { Text: { } port }] ? Endpoints.Format(host, int.Parse(port, CultureInfo.InvariantCulture)) : null;
        }
        catch (RedisAdminException)
        {
            return null;
        }
    }

    /// <summary>The replicas a Sentinel knows, with what its choice of replica to promote is made from.</summary>
    public async Task<IReadOnlyList<KnownReplica>?> ReplicasKnownByAsync(string sentinel, string masterName)
    {
        try
        {
            var reply = await admin.ExecuteAsync(sentinel, NodeKind.Sentinel, Timeout, "SENTINEL", "REPLICAS", masterName).ConfigureAwait(false);
            return [.. reply.Array.Select(Observer.Pairs).Select(f => new KnownReplica(
                Endpoints.Format(f.Text("ip") ?? "", (int)f.Number("port")),
                f.Text("runid") ?? "",
                (int)f.Number("slave-priority"),
                f.Number("slave-repl-offset"),
                f.Number("info-refresh"),
                (f.Text("flags") ?? "").Split(',').Any(flag => flag is "s_down" or "o_down" or "disconnected")))];
        }
        catch (RedisAdminException)
        {
            return null;
        }
    }

    /// <summary>
    /// The replication offset each replica has processed (ROLE), read again every few milliseconds until two reads
    /// agree or <paramref name="limit"/> passes: what a gone or frozen master had sent is still arriving in the replicas'
    /// sockets (its kernel sends it even while the process is frozen), and a replica promoted before it has read it all
    /// drops the rest. Null for a replica that does not answer or is not a replica.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long?>> SettledOffsetsAsync(IReadOnlyList<string> replicas, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + limit;
        var before = await OffsetsAsync(replicas).ConfigureAwait(false);
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken).ConfigureAwait(false);
            var now = await OffsetsAsync(replicas).ConfigureAwait(false);
            if (ReplicaOffsets.Settled(before, now))
            {
                return now;
            }

            before = now;
        }

        return before;
    }

    private async Task<IReadOnlyDictionary<string, long?>> OffsetsAsync(IReadOnlyList<string> replicas)
    {
        var offsets = await Task.WhenAll(replicas.Select(OffsetOfAsync)).ConfigureAwait(false);
        return replicas.Select((r, i) => (r, offsets[i])).ToDictionary(p => p.r, p => p.Item2, StringComparer.Ordinal);
    }

    /// <summary>
    /// The offset a replica has processed, from INFO replication: ROLE answers -1 for it once the link to the master is
    /// down, which after a kill -9 is at once, and every replica would look equally far. INFO keeps the offset of the
    /// stream the replica applied (slave_repl_offset).
    /// </summary>
    private async Task<long?> OffsetOfAsync(string address)
    {
        try
        {
            var info = InfoParser.Parse((await admin.ExecuteAsync(address, NodeKind.Redis, Timeout, "INFO", "replication").ConfigureAwait(false)).Text ?? "");
            return info.Text("role") == "slave" && info.Text("slave_repl_offset") is { } offset && long.TryParse(offset, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : null;
        }
        catch (RedisAdminException)
        {
            return null;
        }
    }

    /// <summary>The master a replica follows (ROLE), or null when it is no replica or does not answer.</summary>
    public async Task<string?> MasterOfAsync(string address)
    {
        try
        {
            var reply = (await admin.ExecuteAsync(address, NodeKind.Redis, Timeout, "ROLE").ConfigureAwait(false)).Array;
            return reply is [{ Text: "slave" }, { Text: { } host }, { Number: { } port }, ..] ? Endpoints.Format(host, (int)port) : null;
        }
        catch (RedisAdminException)
        {
            return null;
        }
    }

    /// <summary>A Sentinel's own id and the peers it knows for our master, in one round trip.</summary>
    public async Task<SentinelIdentity> IdentityAsync(string sentinel, string masterName)
    {
        try
        {
            var replies = await admin.PipelineAsync(sentinel, NodeKind.Sentinel, [["SENTINEL", "MYID"], ["SENTINEL", "SENTINELS", masterName]], Timeout).ConfigureAwait(false);
            var peers = replies[1].Array.Select(Observer.Pairs)
                .Select(f => new SentinelPeer(f.Text("ip") ?? "", (int)f.Number("port"), f.Text("runid") ?? ""))
                .Where(p => p.RunId.Length > 0).ToList();
            return new SentinelIdentity(sentinel, replies[0].Text, peers);
        }
        catch (RedisAdminException)
        {
            return new SentinelIdentity(sentinel, null, null);
        }
    }

    /// <summary>
    /// The Sentinel's last vote in the election for the master at <paramref name="masterAddress"/>, fetched without
    /// voting: SENTINEL IS-MASTER-DOWN-BY-ADDR with epoch 0 cannot cast a vote (a vote needs an epoch above the last one),
    /// and answers the vote it holds. The leader of a failover holds its vote for itself, in the failover's epoch.
    /// </summary>
    public async Task<SentinelVote?> VoteAsync(string sentinel, string masterAddress, string runId)
    {
        try
        {
            var (host, port) = Endpoints.Parse(masterAddress);
            var reply = (await admin.ExecuteAsync(sentinel, NodeKind.Sentinel, Timeout, "SENTINEL", "IS-MASTER-DOWN-BY-ADDR", host, port, 0, runId).ConfigureAwait(false)).Array;
            return reply is [_, { Text: { } leader }, { Number: { } epoch }] && leader != "*" ? new SentinelVote(leader, epoch) : null;
        }
        catch (RedisAdminException)
        {
            return null;
        }
    }

    /// <summary>The replica a Sentinel selected for promotion in its failover (flag "promoted"), as that Sentinel knows its address.</summary>
    public async Task<(string Ip, int Port)?> PromotedByAsync(string sentinel, string masterName)
    {
        try
        {
            var reply = await admin.ExecuteAsync(sentinel, NodeKind.Sentinel, Timeout, "SENTINEL", "REPLICAS", masterName).ConfigureAwait(false);
            return reply.Array.Select(Observer.Pairs)
                .Where(f => (f.Text("flags") ?? "").Split(',').Contains("promoted"))
                .Select(f => ((string Ip, int Port)?)(f.Text("ip") ?? "", (int)f.Number("port")))
                .FirstOrDefault();
        }
        catch (RedisAdminException)
        {
            return null;
        }
    }

    /// <summary>The first of <paramref name="addresses"/> that answers ROLE as master, or null.</summary>
    public async Task<string?> FirstMasterAsync(IReadOnlyList<string> addresses)
    {
        var roles = await Task.WhenAll(addresses.Select(RoleOfAsync)).ConfigureAwait(false);
        return addresses.Where((_, i) => roles[i] == "master").FirstOrDefault();
    }
}
