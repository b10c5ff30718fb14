namespace Redoubt.Platforms.Kubernetes.Crd;

/// <summary>What the CRD says about one spec field beyond its type, which reflection over the model gives.</summary>
public sealed record FieldRule(string Description)
{
    public object? Default { get; init; }
    public IReadOnlyList<string>? Enum { get; init; }
    public long? Minimum { get; init; }
    public long? Maximum { get; init; }
    public string? Pattern { get; init; }
    public long? MaxLength { get; init; }

    /// <summary>A quantity users may write as a number or a string (<c>cpu: 1</c>, <c>memory: 512Mi</c>).</summary>
    public bool IntOrString { get; init; }

    /// <summary>Refused by the operator when changed after creation (said in the description; no CEL rule, see SchemaReflector).</summary>
    public bool Immutable { get; init; }

    /// <summary>For lists: the rule of each item.</summary>
    public FieldRule? Items { get; init; }
}
