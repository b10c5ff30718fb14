using System.Globalization;
using System.Text;

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

        var annotationBytes = 0L;
        foreach (var (key, value) in metadata.Annotations ?? [])
        {
            var path = FieldPath.Key("metadata.annotations", key);
            annotationBytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value ?? "");
            if (!KubernetesNames.IsQualifiedName(key))
            {
                errors.Add(path, $"invalid annotation key: must be {Expected.QualifiedKey}");
            }
            else if (value is null || !IsUnicodeText(value))
            {
                // Half a surrogate pair cannot be stored as UTF-8 (resource.json, the API's JSON, the Kubernetes API).
                errors.Add(path, $"must be {Expected.AnnotationValue}, got {(value is null ? "null" : Show.Text(value))}");
            }
            else if (key == ResourceAnnotations.RestartedAt && !IsOneLine(value, SpecLimits.MaxRestartedAtLength))
            {
                // The request is written on a line of each node's revision file and shown in events: one short line.
                errors.Add(path, $"must be {Expected.RestartedAt}, got {Show.Text(value)}{Length(value, SpecLimits.MaxRestartedAtLength)}");
            }
        }

        if (annotationBytes > SpecLimits.MaxAnnotationBytes)
        {
            errors.Add("metadata.annotations", string.Create(CultureInfo.InvariantCulture,
                $"the annotations take {annotationBytes} bytes; Kubernetes allows at most {SpecLimits.MaxAnnotationBytes} (keys and values together)"));
        }
    }

    /// <summary>Text that UTF-8 can carry: no half of a surrogate pair.</summary>
    private static bool IsUnicodeText(string value) =>
        System.Text.Unicode.Utf8.FromUtf16(value, new byte[Encoding.UTF8.GetMaxByteCount(value.Length)], out _, out _, replaceInvalidSequences: false)
            == System.Buffers.OperationStatus.Done;

    private static bool IsOneLine(string value, int maxLength) =>
        value.Length <= maxLength && !value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');

    private static string Length(string value, int max) =>
        value.Length > max ? string.Create(CultureInfo.InvariantCulture, $" ({value.Length} characters)") : "";
}
