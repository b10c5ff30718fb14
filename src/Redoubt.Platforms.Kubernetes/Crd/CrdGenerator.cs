using k8s;
using k8s.Models;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Crd;

/// <summary>The CRD <c>redises.apps.cozystack.io</c>, generated from the model; <c>deploy/crd.yaml</c> is its output.</summary>
public static class CrdGenerator
{
    public const string Plural = "redises";
    public const string Singular = "redis";
    public static string Name => $"{Plural}.{RedisResource.Group}";

    public static V1CustomResourceDefinition Generate()
    {
        var specReflector = new SchemaReflector(SpecRules.Fields, nullableFields: false);
        var spec = specReflector.Object(typeof(RedisSpec));
        if (specReflector.UnusedRules().ToList() is { Count: > 0 } unused)
        {
            throw new InvalidOperationException($"SpecRules names fields the model does not have: {string.Join(", ", unused)}");
        }

        spec.Description = "The desired Redis: every field has a default.";
        spec.DefaultProperty = new Dictionary<string, object>();
        var status = new SchemaReflector(new Dictionary<string, FieldRule>(), nullableFields: true).Object(typeof(RedisStatus));
        status.Description = "What Redoubt observed and did; written by the operator only.";

        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "redoubt" },
            },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = RedisResource.Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = RedisResource.KindValue,
                    ListKind = RedisResource.KindValue + "List",
                    Plural = Plural,
                    Singular = Singular,
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = RedisResource.Version,
                        Served = true,
                        Storage = true,
                        Subresources = new V1CustomResourceSubresources { Status = new Dictionary<string, object>() },
                        AdditionalPrinterColumns =
                        [
                            new V1CustomResourceColumnDefinition { Name = "Replicas", Type = "integer", JsonPath = ".spec.replicas" },
                            new V1CustomResourceColumnDefinition { Name = "Phase", Type = "string", JsonPath = ".status.phase" },
                            new V1CustomResourceColumnDefinition { Name = "Master", Type = "string", JsonPath = ".status.master" },
                            new V1CustomResourceColumnDefinition { Name = "Age", Type = "date", JsonPath = ".metadata.creationTimestamp" },
                            // kubectl get -o wide: how old the newest backup is.
                            new V1CustomResourceColumnDefinition { Name = "Last Backup", Type = "date", JsonPath = ".status.backup.lastTime", Priority = 1 },
                        ],
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps
                            {
                                Type = "object",
                                Description = "A replicated Redis with Sentinel and automatic failover, kept healthy by Redoubt.",
                                Properties = new Dictionary<string, V1JSONSchemaProps>
                                {
                                    ["apiVersion"] = new() { Type = "string" },
                                    ["kind"] = new() { Type = "string" },
                                    ["metadata"] = new() { Type = "object" },
                                    ["spec"] = spec,
                                    ["status"] = status,
                                },
                            },
                        },
                    },
                ],
            },
        };
    }

    public static string ToYaml() =>
        "# Generated from the C# model (Redoubt.Platforms.Kubernetes.Crd.CrdGenerator); do not edit by hand.\n" +
        "# Regenerate with REDOUBT_UPDATE_GOLDEN=1 dotnet test tests/Redoubt.Kubernetes.Tests\n" +
        KubernetesYaml.Serialize(Generate()).ReplaceLineEndings("\n");
}
