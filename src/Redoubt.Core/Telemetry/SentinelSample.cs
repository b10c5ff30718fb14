namespace Redoubt.Core.Telemetry;

/// <summary>One Sentinel's numbers for one pass.</summary>
public sealed record SentinelSample(string Node, string Zone, bool Up, bool MonitorsMaster);
