namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// The names users of the reference platform know: its chart names the failover <c>redis-&lt;name&gt;</c> and the
/// operator prefixes that with rfr- (Redis), rfrm- / rfrs- (master / replica Services) and rfs- (Sentinel).
/// </summary>
public sealed record ObjectNames(string ResourceName)
{
    public string Instance => $"redis-{ResourceName}";
    public string RedisStatefulSet => $"rfr-{Instance}";
    public string RedisHeadlessService => $"rfr-{Instance}";
    public string RedisConfigMap => $"rfr-{Instance}";
    public string RedisDisruptionBudget => $"rfr-{Instance}";
    public string MasterService => $"rfrm-{Instance}";
    public string ReplicaService => $"rfrs-{Instance}";
    public string SentinelDeployment => $"rfs-{Instance}";
    public string SentinelService => $"rfs-{Instance}";
    public string SentinelConfigMap => $"rfs-{Instance}";
    public string SentinelDisruptionBudget => $"rfs-{Instance}";
    public string AuthSecret => $"{Instance}-auth";
    public string ExternalService => $"{Instance}-external-lb";
    /// <summary>For a TLS resource: the CA certificate and every node's certificate and key, mounted by the pods.</summary>
    public string TlsSecret => $"{Instance}-tls";
    /// <summary>For a TLS resource: the CA's own key, which only the operator reads; no pod mounts it.</summary>
    public string TlsAuthoritySecret => $"{Instance}-tls-ca";

    /// <summary>The pod the StatefulSet names for an ordinal.</summary>
    public string RedisPod(int ordinal) => $"{RedisStatefulSet}-{ordinal}";
}
