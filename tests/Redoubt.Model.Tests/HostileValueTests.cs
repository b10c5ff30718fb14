namespace Redoubt.Model.Tests;

/// <summary>
/// What the hostile-file fuzzing found: values a file could carry that were accepted yet could not be stored or that
/// broke a node's files, and error messages that let the input hide, reorder or break what they show.
/// </summary>
public class HostileValueTests
{
    /// <summary>A YAML double-quoted scalar with everything but printable ASCII written as an escape.</summary>
    private static string Quoted(string value) =>
        "\"" + string.Concat(value.EnumerateRunes().Select(r => r.Value is >= ' ' and <= '~' and not ('"' or '\\') ? r.ToString() : $"\\U{r.Value:X8}")) + "\"";

    private static string WithAnnotation(string key, string quotedValue) =>
        $"apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: example\n  annotations:\n    {key}: {quotedValue}\nspec: {{}}\n";

    [Theory]
    [InlineData("\"2030-01-01\\nbinary /tmp/evil\"", "\"2030-01-01\\nbinary /tmp/evil\"")]
    [InlineData("\"now\\r\"", "\"now\\r\"")]
    [InlineData("\"now\\u2028later\"", "\"now\\u2028later\"")]
    public void ARestartRequestMustBeOneLine(string value, string shown)
    {
        // It is written as one line of each node's revision file: a line break in it forged the lines after it.
        var error = TestYaml.Error(WithAnnotation("redoubt.io/restartedAt", value));

        Assert.Equal("metadata.annotations[redoubt.io/restartedAt]", error.Path);
        Assert.StartsWith("must be one line of text", error.Message, StringComparison.Ordinal);
        Assert.Contains(shown, error.Message, StringComparison.Ordinal);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void ARestartRequestOfAnOrdinaryTimeIsAccepted()
    {
        var resource = TestYaml.LoadOne(WithAnnotation("redoubt.io/restartedAt", "\"2030-01-01T12:00:00.000Z\""));

        Assert.Equal("2030-01-01T12:00:00.000Z", ResourceAnnotations.RestartedAtOf(resource));
    }

    [Fact]
    public void AnAnnotationWithHalfASurrogatePairIsRejected()
    {
        // Accepted before, it could not be written as UTF-8: resource.json and `get -o yaml` read back something else.
        var error = TestYaml.Error(WithAnnotation("note", "|-\n      a\uD800b"));

        Assert.Equal("metadata.annotations[note]", error.Path);
        Assert.Equal("must be a string of Unicode text (no half of a surrogate pair), got \"a\\ud800b\"", error.Message);
    }

    [Fact]
    public void AnnotationsAreLimitedToWhatKubernetesStores()
    {
        var error = TestYaml.Error(WithAnnotation("note", new string('a', 300_000)));

        Assert.Equal("metadata.annotations", error.Path);
        Assert.Equal("the annotations take 300004 bytes; Kubernetes allows at most 262144 (keys and values together)", error.Message);
    }

    [Fact]
    public void AnEmojiInAnAnnotationIsFine()
    {
        var resource = TestYaml.LoadOne(WithAnnotation("note", "\"café \\U0001F600\""));

        Assert.Equal("café \U0001F600", resource.Metadata.Annotations["note"]);
    }

    [Theory]
    [InlineData("v8\u202E", "\"v8\\u202e\"")]
    [InlineData("v8\u200B", "\"v8\\u200b\"")]
    [InlineData("\uFEFFv8", "\"\\ufeffv8\"")]
    [InlineData("v8\U0001F600", "\"v8\U0001F600\"")]
    public void ABadValueIsShownWithInvisibleCharactersEscaped(string value, string shown)
    {
        // A right-to-left override or a zero-width space made an error read as something else.
        var error = TestYaml.SpecError("version: " + Quoted(value));

        Assert.Equal("spec.version", error.Path);
        Assert.Equal($"must be one of v8, v7, got {shown}", error.Message);
    }

    [Fact]
    public void HalfASurrogatePairIsShownEscaped()
    {
        // YAML refuses the escape \uD800, but text that reached the loader as UTF-16 (the API's JSON body) can carry one
        // raw; shown as it was, it cannot be written to a UTF-8 terminal or in the API's JSON reply.
        var error = TestYaml.SpecError("version: |-\n  v8\uDFFF\uD800x");

        Assert.Equal("spec.version", error.Path);
        Assert.Equal("must be one of v8, v7, got \"v8\\udfff\\ud800x\"", error.Message);
    }

    [Fact]
    public void TheParsersOwnMessageIsEscapedToo()
    {
        // YamlDotNet quotes a duplicate key as written, control characters and all.
        var error = TestYaml.Error("apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\n\"a\\bz\\u202E\": 1\n\"a\\bz\\u202E\": 2\n");

        Assert.Equal("", error.Path);
        Assert.Equal(4, error.Line);
        Assert.Equal("not valid YAML: Duplicate key a\\u0008z\\u202e", error.Message);
    }

    [Fact]
    public void AParserMessageQuotingAHugeKeyIsCut()
    {
        var key = new string('k', 1000);
        var error = TestYaml.Error($"apiVersion: apps.cozystack.io/v1alpha1\n{key}: 1\n{key}: 2\n");

        Assert.StartsWith("not valid YAML: Duplicate key kkk", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("...", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, $"{error.Message.Length} characters");
    }

    [Fact]
    public void ADocumentThatIsAScalarSaysItIsTheDocument()
    {
        var error = TestYaml.Error(TestYaml.Example + "\n--- 3\n");

        Assert.Equal(("", 7), (error.Path, error.Line));
        Assert.Equal("the document must be a Redis resource, a mapping of apiVersion, kind, metadata, spec, status; got 3", error.Message);
    }

    [Fact]
    public void AnUnknownKeyOfAHundredThousandCharactersIsCutInThePath()
    {
        // Plain letters, so it was shown as it was: the error was a hundred thousand characters long.
        var key = new string('a', 100_000);
        var error = TestYaml.SpecError($"sentinel: {{\"{key}\": 1}}");

        Assert.Equal($"spec.sentinel.\"{new string('a', 80)}\"...", error.Path);
        Assert.True(error.ToString().Length < 400, $"{error.ToString().Length} characters");
    }

    [Theory]
    [InlineData("a\u2029b")]
    [InlineData("a\u2028b")]
    [InlineData("a\u0085b")]
    public void AValueWithALineOrParagraphSeparatorSurvivesGetOYaml(string value)
    {
        // YAML ends a line at these: written unquoted, `get -o yaml` read back as something else.
        var resource = TestYaml.LoadOne(WithAnnotation("redoubt.io/exporter", Quoted(value)));

        var again = TestYaml.LoadOne(ResourceSerializer.ToYaml(resource));

        Assert.Equal(value, again.Metadata.Annotations["redoubt.io/exporter"]);
    }
}
