using System.Globalization;

namespace Redoubt.Model;

/// <summary>
/// The value rules of a <see cref="RedisResource"/>. <see cref="ResourceLoader"/> applies them to everything it
/// reads; call <see cref="Validate(RedisResource, string)"/> for a resource that arrives another way (a JSON body).
/// </summary>
public static class ResourceValidator
{
    /// <summary>Every problem with the resource; empty when it is valid. <paramref name="source"/> names where it came from.</summary>
    public static IReadOnlyList<ValidationError> Validate(RedisResource resource, string source)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var errors = new ErrorCollector(source);
        Validate(resource, errors);
        return errors.Errors;
    }

    internal static void Validate(RedisResource resource, ErrorCollector errors)
    {
        Constant(errors, "apiVersion", resource.ApiVersion, RedisResource.ApiVersionValue);
        Constant(errors, "kind", resource.Kind, RedisResource.KindValue);

        // Null only when deserialized from JSON that says so; the YAML reader always fills both.
        if (resource.Metadata is null)
        {
            errors.Add("metadata", $"required: a mapping with at least a name, {Expected.Name}");
        }
        else
        {
            Metadata(errors, resource.Metadata);
        }

        if (resource.Spec is null)
        {
            errors.Add("spec", "required: a mapping; use {} to take every default");
        }
        else
        {
            SpecValidator.Validate(errors, resource.Spec);
        }
    }

    private static void Constant(ErrorCollector errors, string path, string? value, string expected)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(path, $"required: must be {expected}");
        }
        else if (value != expected)
        {
            errors.Add(path, $"must be {expected}, got {Show.Text(value)}");
        }
    }

    private static void Metadata(ErrorCollector errors, ObjectMeta metadata)
    {
        if (string.IsNullOrEmpty(metadata.Name))
        {
            errors.Add("metadata.name", $"required: {Expected.Name}");
        }
        else if (!KubernetesNames.IsDns1035Label(metadata.Name, SpecLimits.MaxNameLength))
        {
            errors.Add("metadata.name", $"must be {Expected.Name}, got {Show.Text(metadata.Name)}{Length(metadata.Name, SpecLimits.MaxNameLength)}");
        }

        if (metadata.Namespace is null || !KubernetesNames.IsDns1123Label(metadata.Namespace))
        {
            var got = metadata.Namespace is null ? "null" : Show.Text(metadata.Namespace) + Length(metadata.Namespace, KubernetesNames.MaxLabelLength);
            errors.Add("metadata.namespace", $"must be {Expected.Namespace}, got {got}");
        }

        foreach (var (key, value) in metadata.Labels ?? [])
        {
            var path = FieldPath.Key("metadata.labels", key);
            if (!KubernetesNames.IsQualifiedName(key))
            {
                errors.Add(path, $"invalid label key: must be {Expected.QualifiedKey}");
            }
            else if (value is null || !KubernetesNames.IsLabelValue(value))
            {
                errors.Add(path, $"must be {Expected.LabelValue}, got {(value is null ? "null" : Show.Text(value))}");
            }
        }

        foreach (var key in metadata.Annotations?.Keys ?? Enumerable.Empty<string>())
        {
            if (!KubernetesNames.IsQualifiedName(key))
            {
                errors.Add(FieldPath.Key("metadata.annotations", key), $"invalid annotation key: must be {Expected.QualifiedKey}");
            }
        }
    }

    private static string Length(string value, int max) =>
        value.Length > max ? string.Create(CultureInfo.InvariantCulture, $" ({value.Length} characters)") : "";
}
