using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Redoubt.Platforms.Kubernetes.Crd;

/// <summary>
/// Checks a JSON object against the subset of OpenAPI v3 the generated CRD uses: types, int-or-string, enums,
/// minimum/maximum, pattern, maxLength, required, items. An object schema that lists its properties is closed: an
/// unknown field is an error, as with the API server's strict field validation (structural schemas may not say
/// <c>additionalProperties: false</c>; the server prunes unknown fields and strict validation rejects them).
/// An object schema without properties (metadata) accepts anything.
/// </summary>
public static class SchemaValidator
{
    public static IReadOnlyList<string> Validate(JsonNode? value, V1JSONSchemaProps schema)
    {
        var errors = new List<string>();
        Check(value, schema, "", errors);
        return errors;
    }

    private static void Check(JsonNode? value, V1JSONSchemaProps schema, string path, List<string> errors)
    {
        var at = path.Length == 0 ? "<root>" : path;
        if (value is null)
        {
            if (schema.Nullable != true)
            {
                errors.Add($"{at}: must not be null");
            }

            return;
        }

        if (schema.XKubernetesIntOrString == true)
        {
            if (!IsInteger(value) && !IsString(value))
            {
                errors.Add($"{at}: must be an integer or a string");
                return;
            }
        }
        else if (schema.Type is { } type && !HasType(value, type))
        {
            errors.Add($"{at}: must be of type {type}, got {Describe(value)}");
            return;
        }

        if (schema.EnumProperty is { Count: > 0 } allowed && !allowed.Any(a => JsonNode.DeepEquals(JsonSerializer.SerializeToNode(a), value)))
        {
            errors.Add($"{at}: {Describe(value)} is not one of {string.Join(", ", allowed)}");
        }

        if (value is JsonValue && (schema.Minimum is not null || schema.Maximum is not null) && TryNumber(value, out var n))
        {
            if (n < schema.Minimum)
            {
                errors.Add($"{at}: {n.ToString(CultureInfo.InvariantCulture)} is below the minimum {schema.Minimum.Value.ToString(CultureInfo.InvariantCulture)}");
            }

            if (n > schema.Maximum)
            {
                errors.Add($"{at}: {n.ToString(CultureInfo.InvariantCulture)} is above the maximum {schema.Maximum.Value.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        if (value is JsonValue text && text.TryGetValue<string>(out var s))
        {
            if (schema.Pattern is { } pattern && !Regex.IsMatch(s, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                errors.Add($"{at}: \"{s}\" does not match {pattern}");
            }

            if (schema.MaxLength is { } max && s.Length > max)
            {
                errors.Add($"{at}: longer than {max.ToString(CultureInfo.InvariantCulture)} characters");
            }
        }

        if (value is JsonObject obj)
        {
            foreach (var required in schema.Required ?? [])
            {
                if (!obj.ContainsKey(required))
                {
                    errors.Add($"{Join(path, required)}: is required");
                }
            }

            if (schema.Properties is { } properties && schema.XKubernetesPreserveUnknownFields != true)
            {
                foreach (var (name, child) in obj)
                {
                    if (properties.TryGetValue(name, out var childSchema))
                    {
                        Check(child, childSchema, Join(path, name), errors);
                    }
                    else
                    {
                        errors.Add($"{Join(path, name)}: unknown field");
                    }
                }
            }
        }

        if (value is JsonArray array && schema.Items is V1JSONSchemaProps items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, $"{at}[{i.ToString(CultureInfo.InvariantCulture)}]", errors);
            }
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static bool HasType(JsonNode value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => IsString(value),
        "boolean" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "integer" => IsInteger(value),
        "number" => value.GetValueKind() == JsonValueKind.Number,
        _ => false,
    };

    private static bool IsString(JsonNode value) => value.GetValueKind() == JsonValueKind.String;

    private static bool IsInteger(JsonNode value) => TryNumber(value, out var d) && Math.Floor(d) == d;

    private static bool TryNumber(JsonNode value, out double number)
    {
        number = 0;
        return value.GetValueKind() == JsonValueKind.Number
            && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private static string Describe(JsonNode value) => value.ToJsonString();
}
