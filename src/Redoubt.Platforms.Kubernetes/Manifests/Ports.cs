namespace Redoubt.Platforms.Kubernetes.Manifests;

public static class Ports
{
    public const int Redis = 6379;
    public const int Sentinel = 26379;
    public const int Exporter = 9121;
    public const string RedisName = "redis";
    public const string SentinelName = "sentinel";
    public const string ExporterName = "http-metrics";
}
