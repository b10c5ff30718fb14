using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Redoubt.Model;

/// <summary>
/// Resources to and from JSON and YAML, status included. This is for Redoubt's own output and state; user input goes
/// through <see cref="ResourceLoader"/>, which validates. YAML is rendered from the JSON form, as Kubernetes does, so
/// both always carry the same fields, names and value formats.
/// </summary>
public static class ResourceSerializer
{
    /// <summary>camelCase, indented, nulls omitted, enums as camelCase strings. Read-only; copy it to add converters.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    public static string ToJson(RedisResource resource) => JsonSerializer.Serialize(resource, JsonOptions);

    /// <summary>A JSON array.</summary>
    public static string ToJson(IEnumerable<RedisResource> resources) => JsonSerializer.Serialize(resources, JsonOptions);

    /// <exception cref="JsonException">The text is not a JSON resource.</exception>
    public static RedisResource FromJson(string json) =>
        JsonSerializer.Deserialize<RedisResource>(json, JsonOptions) ?? throw new JsonException("expected a resource, got null");

    public static string ToYaml(RedisResource resource) => ToYaml([resource]);

    /// <summary>One YAML document per resource, separated by <c>---</c>.</summary>
    public static string ToYaml(IEnumerable<RedisResource> resources) =>
        YamlJson.Emit(resources.Select(r => JsonSerializer.SerializeToNode(r, JsonOptions)));

    /// <summary>Reads what <see cref="ToYaml(RedisResource)"/> wrote, status included; no validation.</summary>
    /// <exception cref="JsonException">The YAML does not describe a resource.</exception>
    /// <exception cref="YamlDotNet.Core.YamlException">The text is not YAML.</exception>
    public static RedisResource FromYaml(string yaml) =>
        YamlJson.Parse(yaml).Deserialize<RedisResource>(JsonOptions) ?? throw new JsonException("expected a resource, got null");

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            NewLine = "\n",
            // Output goes to terminals, files and a local API, never into HTML: keep "Genève" and "+" readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmittedNullsAreNotMissing } },
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// Nulls are left out when writing, so a <c>required</c> property that may be null (EffectiveSpec.Version) must be
    /// allowed to be absent when reading, or what was written could not be read back.
    /// </summary>
    private static void OmittedNullsAreNotMissing(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (property.IsRequired
                && property.AttributeProvider is PropertyInfo clrProperty
                && new NullabilityInfoContext().Create(clrProperty).WriteState == NullabilityState.Nullable)
            {
                property.IsRequired = false;
            }
        }
    }
}
