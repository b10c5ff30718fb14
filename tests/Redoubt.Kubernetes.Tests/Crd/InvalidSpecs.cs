namespace Redoubt.Kubernetes.Tests.Crd;

/// <summary>
/// Specs the CRD's schema must refuse, each as one line under <c>spec:</c> with the field path the error names. Shared
/// by the schema-validator tests here and the real API server's tests in Redoubt.Kubernetes.Cluster.Tests.
/// </summary>
internal static class InvalidSpecs
{
    /// <summary>Wrong types, values out of range or outside an enum: the API server answers 422.</summary>
    public static TheoryData<string, string> WrongValues() => new()
    {
        { "replicas: 0", "spec.replicas" },
        { "replicas: 33", "spec.replicas" },
        { "replicas: two", "spec.replicas" },
        { "version: v6", "spec.version" },
        { "resourcesPreset: huge", "spec.resourcesPreset" },
        { "size: lots", "spec.size" },
        { "storageClass: Not_A_Name", "spec.storageClass" },
        { "authEnabled: \"yes\"", "spec.authEnabled" },
        { "maxmemoryPolicy: lru", "spec.maxmemoryPolicy" },
        { "persistenceMode: sometimes", "spec.persistenceMode" },
        { "minReplicasMaxLag: 0", "spec.minReplicasMaxLag" },
        { "sentinel: {replicas: 8}", "spec.sentinel.replicas" },
        { "sentinel: {downAfterMilliseconds: 200}", "spec.sentinel.downAfterMilliseconds" },
        { "sentinel: {failoverTimeout: 999}", "spec.sentinel.failoverTimeout" },
        { "resources: {cpu: fast}", "spec.resources.cpu" },
        { "zones: [Zone_A]", "spec.zones[0]" },
        { "tls: {enabled: 1}", "spec.tls.enabled" },
    };

    /// <summary>
    /// Fields the schema does not know. A structural schema makes the API server prune them (it answers 201 without
    /// them) unless the client asks for strict field validation, as kubectl does; the model's loader refuses them.
    /// </summary>
    public static TheoryData<string, string> UnknownFields() => new()
    {
        { "replicaCount: 3", "spec.replicaCount" },
        { "sentinel: {quorum: 2, extra: true}", "spec.sentinel.extra" },
    };

    public static TheoryData<string, string> All()
    {
        var all = new TheoryData<string, string>();
        foreach (var row in WrongValues().Concat(UnknownFields()))
        {
            all.Add((string)row[0], (string)row[1]);
        }

        return all;
    }

    /// <summary>A whole Redis document with <paramref name="spec"/> as its only spec line.</summary>
    public static string Document(string name, string spec) =>
        $"apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata: {{name: {name}}}\nspec:\n  {spec}\n";
}
