using System.Collections;
using System.Reflection;
using System.Text.Json;
using k8s.Models;

namespace Redoubt.Platforms.Kubernetes.Crd;

/// <summary>
/// Builds an OpenAPI v3 schema from a model type: camelCase property names (the model's JSON naming), types from
/// the CLR types, and, for the spec, the rules of <see cref="SpecRules"/>. Every field a rule names must exist in
/// the model, so renaming a model property breaks the generator instead of silently dropping a rule.
/// </summary>
internal sealed class SchemaReflector(IReadOnlyDictionary<string, FieldRule> rules, bool nullableFields)
{
    private readonly HashSet<string> _used = [];

    public V1JSONSchemaProps Object(Type type, string path = "")
    {
        var properties = new Dictionary<string, V1JSONSchemaProps>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
            var schema = Field(property.PropertyType, fieldPath, IsNullable(property));
            properties[name] = schema;
        }

        return new V1JSONSchemaProps { Type = "object", Properties = properties };
    }

    /// <summary>Rules that named no model field: a model property was renamed or removed.</summary>
    public IEnumerable<string> UnusedRules() => rules.Keys.Where(key => !_used.Contains(key));

    private V1JSONSchemaProps Field(Type type, string path, bool nullable)
    {
        var rule = rules.GetValueOrDefault(path);
        if (rule is not null)
        {
            _used.Add(path);
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        V1JSONSchemaProps schema;
        if (rule is { IntOrString: true })
        {
            schema = new V1JSONSchemaProps
            {
                XKubernetesIntOrString = true,
                AnyOf = [new V1JSONSchemaProps { Type = "integer" }, new V1JSONSchemaProps { Type = "string" }],
            };
        }
        else if (underlying == typeof(string))
        {
            schema = new V1JSONSchemaProps { Type = "string" };
        }
        else if (underlying == typeof(bool))
        {
            schema = new V1JSONSchemaProps { Type = "boolean" };
        }
        else if (underlying == typeof(int) || underlying == typeof(long))
        {
            schema = new V1JSONSchemaProps { Type = "integer", Format = underlying == typeof(int) ? "int32" : "int64" };
        }
        else if (underlying == typeof(double))
        {
            schema = new V1JSONSchemaProps { Type = "number" };
        }
        else if (underlying == typeof(DateTimeOffset) || underlying == typeof(DateTime))
        {
            schema = new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }
        else if (ItemType(underlying) is { } item)
        {
            schema = new V1JSONSchemaProps { Type = "array", Items = Item(item, path, rule?.Items) };
        }
        else if (underlying.IsClass)
        {
            schema = Object(underlying, path);
        }
        else
        {
            throw new NotSupportedException($"the CRD generator has no schema for {underlying.Name} at {path}");
        }

        if (nullable && nullableFields)
        {
            schema.Nullable = true;
        }

        return rule is null ? schema : Apply(schema, rule);
    }

    private V1JSONSchemaProps Item(Type type, string path, FieldRule? rule)
    {
        var schema = type == typeof(string) ? new V1JSONSchemaProps { Type = "string" } : Object(type, path + "[]");
        return rule is null ? schema : Apply(schema, rule);
    }

    private static V1JSONSchemaProps Apply(V1JSONSchemaProps schema, FieldRule rule)
    {
        // An immutable field gets no CEL transition rule (x-kubernetes-validations): API servers before 1.25 do not
        // serve it and kubectl refuses the whole CRD there. The operator enforces it on every version instead.
        schema.Description = rule.Immutable ? rule.Description + " Immutable once created." : rule.Description;
        schema.DefaultProperty = rule.Default;
        schema.EnumProperty = rule.Enum?.Cast<object>().ToList();
        schema.Minimum = rule.Minimum;
        schema.Maximum = rule.Maximum;
        schema.Pattern = rule.Pattern;
        schema.MaxLength = rule.MaxLength;
        return schema;
    }

    private static Type? ItemType(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        return type.IsArray ? type.GetElementType() : type.GetGenericArguments().FirstOrDefault();
    }

    private static bool IsNullable(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null
        || new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable;
}
