using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;

namespace Redoubt.Core.Tests.Fixtures;

/// <summary>Redis nodes as the observer reports them, named and placed as the planner places them.</summary>
internal static class ObservedNodes
{
    private static readonly string[] Zones = ["gland", "lucerne", "geneve"];

    public static RedisNodeObservation Master(int ordinal, long offset = 1000, long keys = 10) =>
        Answering(ordinal) with { Role = "master", Offset = offset, Keys = keys };

    public static RedisNodeObservation Replica(int ordinal, int of, long offset = 1000, long keys = 10) =>
        Answering(ordinal) with { Role = "slave", MasterAddress = TestAddresses.OfRedis(of), MasterLinkUp = true, Offset = offset, Keys = keys };

    /// <summary>A replica of itself, as every node boots.</summary>
    public static RedisNodeObservation Parked(int ordinal, long offset = 0, long keys = 0) =>
        Answering(ordinal) with { Role = "slave", MasterAddress = TestAddresses.OfRedis(ordinal), Offset = offset, Keys = keys };

    public static RedisNodeObservation Silent(int ordinal, NodeLifecycle lifecycle = NodeLifecycle.Running) => new()
    {
        Name = Name(ordinal),
        Zone = Zones[ordinal % Zones.Length],
        Address = TestAddresses.OfRedis(ordinal),
        Lifecycle = lifecycle,
        Reachable = false,
        Error = lifecycle == NodeLifecycle.Running ? "timeout" : lifecycle.ToString().ToLowerInvariant(),
    };

    public static RedisNodeObservation StillLoading(this RedisNodeObservation node) => node with { Loading = true };

    /// <summary>Every run-time setting exactly as the plan wants it.</summary>
    public static RedisNodeObservation ConfiguredAs(this RedisNodeObservation node, ResourcePlan plan) =>
        node with { Config = plan.RedisSettings.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal) };

    public static RedisNodeObservation WithConfig(this RedisNodeObservation node, string key, string value) =>
        node with { Config = new Dictionary<string, string>(node.Config, StringComparer.Ordinal) { [key] = value } };

    /// <summary>The master's INFO lists these replicas as online, at its own offset.</summary>
    public static RedisNodeObservation Serving(this RedisNodeObservation master, params int[] replicas) =>
        master with { Replicas = [.. replicas.Select(r => new ConnectedReplica(TestAddresses.OfRedis(r), "online", master.Offset, 0))] };

    public static string Name(int ordinal) => $"redis-{ordinal}";

    private static RedisNodeObservation Answering(int ordinal) => new()
    {
        Name = Name(ordinal),
        Zone = Zones[ordinal % Zones.Length],
        Address = TestAddresses.OfRedis(ordinal),
        Pid = 1000 + ordinal,
        Reachable = true,
    };
}
