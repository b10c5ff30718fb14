namespace Redoubt.Model.Tests;

public class MetadataValidationTests
{
    private const string NameRule =
        "a DNS-1035 label of at most 48 characters: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";

    private const string NamespaceRule =
        "a DNS-1123 label of at most 63 characters: lowercase letters, digits and '-', starting and ending with a letter or digit";

    private static string With(string metadata, string apiVersion = "apps.cozystack.io/v1alpha1", string kind = "Redis") =>
        $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  {metadata}\n";

    public static TheoryData<string, string, int, string> Bad => new()
    {
        { With("name: example", apiVersion: "apps/v1"), "apiVersion", 1, "must be apps.cozystack.io/v1alpha1, got \"apps/v1\"" },
        { With("name: example", apiVersion: "apps.cozystack.io/v1beta1"), "apiVersion", 1, "must be apps.cozystack.io/v1alpha1, got \"apps.cozystack.io/v1beta1\"" },
        { "kind: Redis\nmetadata: {name: example}\n", "apiVersion", 1, "required: must be apps.cozystack.io/v1alpha1" },
        { With("name: example", kind: "Postgres"), "kind", 2, "must be Redis, got \"Postgres\"" },
        { With("name: example", kind: "redis"), "kind", 2, "must be Redis, got \"redis\"" },
        { "apiVersion: apps.cozystack.io/v1alpha1\nmetadata: {name: example}\n", "kind", 1, "required: must be Redis" },
        { "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\n", "metadata.name", 1, $"required: {NameRule}" },
        { With("namespace: shop"), "metadata.name", 3, $"required: {NameRule}" },
        { With("name: \"\""), "metadata.name", 4, $"required: {NameRule}" },
        { With("name: Example"), "metadata.name", 4, $"must be {NameRule}, got \"Example\"" },
        { With("name: 1cache"), "metadata.name", 4, $"must be {NameRule}, got \"1cache\"" },
        { With("name: my_cache"), "metadata.name", 4, $"must be {NameRule}, got \"my_cache\"" },
        { With("name: cache-"), "metadata.name", 4, $"must be {NameRule}, got \"cache-\"" },
        { With("name: my.cache"), "metadata.name", 4, $"must be {NameRule}, got \"my.cache\"" },
        { With("name: " + new string('a', 49)), "metadata.name", 4, $"must be {NameRule}, got \"{new string('a', 49)}\" (49 characters)" },
        { With("name: 42"), "metadata.name", 4, $"must be {NameRule}, got 42" },
        { With("name: a\n  namespace: Shop"), "metadata.namespace", 5, $"must be {NamespaceRule}, got \"Shop\"" },
        { With("name: a\n  namespace: \"\""), "metadata.namespace", 5, $"must be {NamespaceRule}, got \"\"" },
        { With("name: a\n  namespace: " + new string('n', 64)), "metadata.namespace", 5, $"must be {NamespaceRule}, got \"{new string('n', 64)}\" (64 characters)" },
        {
            With("name: a\n  labels: {\"-bad\": x}"), "metadata.labels[-bad]", 5,
            "invalid label key: must be a key of at most 63 characters (letters, digits, '-', '_' and '.'), optionally prefixed by a DNS-1123 subdomain and '/'"
        },
        {
            With("name: a\n  labels: {app: \"two words\"}"), "metadata.labels[app]", 5,
            "must be a label value of at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit, got \"two words\""
        },
        {
            With("name: a\n  labels: {app: 1}"), "metadata.labels[app]", 5,
            "must be a label value of at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit, got 1"
        },
        {
            With("name: a\n  labels: [app]"), "metadata.labels", 5,
            "must be a mapping of keys to a label value of at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit, got a list"
        },
        {
            With("name: a\n  annotations: {\"Example.com/x\": y}"), "metadata.annotations[Example.com/x]", 5,
            "invalid annotation key: must be a key of at most 63 characters (letters, digits, '-', '_' and '.'), optionally prefixed by a DNS-1123 subdomain and '/'"
        },
        { With("name: a\n  annotations: {note: ~}"), "metadata.annotations[note]", 5, "must be a string, got null" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void BadIdentityAndNamesAreRejected(string yaml, string path, int line, string message)
    {
        var error = TestYaml.Error(yaml);

        Assert.Equal((path, line, message), (error.Path, error.Line ?? 0, error.Message));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("cache-01")]
    [InlineData("x0")]
    public void ValidNamesAreAccepted(string name)
    {
        Assert.Equal(name, TestYaml.LoadOne(With($"name: {name}")).Metadata.Name);
    }

    [Fact]
    public void ANameOfFortyEightCharactersIsAccepted()
    {
        var name = new string('a', 48);

        Assert.Equal(name, TestYaml.LoadOne(With($"name: {name}")).Metadata.Name);
    }

    [Fact]
    public void ANamespaceOfSixtyThreeCharactersStartingWithADigitIsAccepted()
    {
        var ns = "1" + new string('n', 62);

        Assert.Equal(ns, TestYaml.LoadOne(With($"name: a\n  namespace: {ns}")).Metadata.Namespace);
    }
}
