namespace Redoubt.Model.Tests;

/// <summary>Builds resource YAML around a spec and loads it, failing with every error when the load was meant to succeed.</summary>
internal static class TestYaml
{
    public const string File = "redis.yaml";

    /// <summary>The line of the first spec field in <see cref="WithSpec"/>.</summary>
    public const int FirstSpecLine = 6;

    public const string Example = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: example
          namespace: default
        spec: {}
        """;

    /// <summary>A resource named example whose spec is <paramref name="spec"/> (lines of YAML at spec level), starting at line 6.</summary>
    public static string WithSpec(string spec) =>
        "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: example\nspec:\n" + Indent(spec);

    public static RedisResource LoadOne(string yaml)
    {
        var result = ResourceLoader.Load(yaml, File);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return Assert.Single(result.Resources);
    }

    public static EffectiveSpec Resolve(string spec) => SpecDefaults.Resolve(LoadOne(WithSpec(spec)).Spec);

    public static IReadOnlyList<ValidationError> Errors(string yaml)
    {
        var result = ResourceLoader.Load(yaml, File);
        Assert.False(result.Succeeded);
        Assert.Empty(result.Resources);
        return result.Errors;
    }

    public static ValidationError Error(string yaml)
    {
        var errors = Errors(yaml);
        Assert.True(errors.Count == 1, "expected one error, got:\n" + string.Join("\n", errors));
        return errors[0];
    }

    public static ValidationError SpecError(string spec) => Error(WithSpec(spec));

    private static string Indent(string lines) =>
        string.Concat(lines.ReplaceLineEndings("\n").Split('\n').Select(line => "  " + line + "\n"));
}
