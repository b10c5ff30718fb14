using System.Globalization;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;

namespace Redoubt.Core.Tests.Fixtures;

/// <summary>Sentinels as the observer reports them; a watching Sentinel carries the plan's settings and knows exactly its peers.</summary>
internal static class ObservedSentinels
{
    private static readonly string[] Zones = ["gland", "lucerne", "geneve"];

    public static SentinelObservation Watching(ResourcePlan plan, int ordinal, int master) => NotMonitoring(ordinal) with
    {
        Master = new MonitoredMaster
        {
            Address = TestAddresses.OfRedis(master),
            Flags = "master",
            Quorum = plan.Spec.Sentinel.Quorum,
            OtherSentinels = plan.Sentinels.Count - 1,
            Replicas = plan.RedisNodes.Count - 1,
            ConfigEpoch = 1,
            Settings = Settings(plan, master),
        },
        KnownSentinels = [.. Enumerable.Range(0, plan.Sentinels.Count).Where(i => i != ordinal).Select(TestAddresses.OfSentinel)],
        KnownReplicas = [.. Enumerable.Range(0, plan.RedisNodes.Count).Where(i => i != master).Select(TestAddresses.OfRedis)],
    };

    public static SentinelObservation NotMonitoring(int ordinal) => new()
    {
        Name = Name(ordinal),
        Zone = Zones[ordinal % Zones.Length],
        Address = TestAddresses.OfSentinel(ordinal),
        Pid = 2000 + ordinal,
        Reachable = true,
    };

    public static SentinelObservation Down(int ordinal, NodeLifecycle lifecycle = NodeLifecycle.Running) => new()
    {
        Name = Name(ordinal),
        Zone = Zones[ordinal % Zones.Length],
        Address = TestAddresses.OfSentinel(ordinal),
        Lifecycle = lifecycle,
        Reachable = false,
        Error = "connection refused",
    };

    public static SentinelObservation WithFlags(this SentinelObservation sentinel, string flags) =>
        sentinel with { Master = sentinel.Master! with { Flags = flags } };

    public static SentinelObservation WithMonitored(this SentinelObservation sentinel, Func<MonitoredMaster, MonitoredMaster> change) =>
        sentinel with { Master = change(sentinel.Master!) };

    public static SentinelObservation WithSetting(this SentinelObservation sentinel, string key, string value) =>
        sentinel with { Master = sentinel.Master! with { Settings = new Dictionary<string, string>(sentinel.Master.Settings, StringComparer.Ordinal) { [key] = value } } };

    public static SentinelObservation WithoutSetting(this SentinelObservation sentinel, string key)
    {
        var settings = new Dictionary<string, string>(sentinel.Master!.Settings, StringComparer.Ordinal);
        settings.Remove(key);
        return sentinel with { Master = sentinel.Master with { Settings = settings } };
    }

    public static SentinelObservation Knowing(this SentinelObservation sentinel, int sentinels, int replicas) => sentinel with
    {
        KnownSentinels = [.. Enumerable.Range(100, sentinels).Select(TestAddresses.OfSentinel)],
        KnownReplicas = [.. Enumerable.Range(100, replicas).Select(TestAddresses.OfRedis)],
    };

    public static string Name(int ordinal) => $"sentinel-{ordinal}";

    /// <summary>The fields of SENTINEL MASTERS that the healer and the status read.</summary>
    private static Dictionary<string, string> Settings(ResourcePlan plan, int master)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = plan.MasterName,
            ["ip"] = "127.0.0.1",
            ["port"] = (7000 + master).ToString(CultureInfo.InvariantCulture),
            ["flags"] = "master",
            ["last-ok-ping-reply"] = "120",
            ["quorum"] = plan.Spec.Sentinel.Quorum.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var setting in plan.SentinelSettings)
        {
            settings[setting.Key] = setting.Value;
        }

        return settings;
    }
}
